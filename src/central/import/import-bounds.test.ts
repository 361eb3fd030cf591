import { truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectKioskError } from "../../../test/helpers/kiosk-error.js";
import { scratchDir } from "../../../test/helpers/kiosk-store.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { readCatalogFile } from "./catalog-file.js";
import { IMPORT_BOUNDS } from "./import-bounds.js";

const HEADER =
  "invoice_id,invoice_number,client_id,first_name,last_name,currency,line_description,line_quantity,line_amount";
const row = (
  id: string,
  amount = "10.00",
  extra: Partial<Record<"name" | "description" | "quantity", string>> = {},
) =>
  `${id},${id.replace("inv-", "")},cl-${id},Ana,${extra.name ?? "Ruiz"},USD,${extra.description ?? "Print"},${extra.quantity ?? "1"},${amount}`;

describe("import bounds", () => {
  let dir: ReturnType<typeof scratchDir>;
  const file = (name: string, text: string): string => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };
  const csv = (...rows: string[]) => file("bounds.csv", [HEADER, ...rows].join("\n"));
  beforeEach(() => {
    dir = scratchDir();
  });
  afterEach(() => dir.remove());

  it("refuses a file over the size bound before reading it", () => {
    const path = file("huge.json", "");
    truncateSync(path, IMPORT_BOUNDS.maxFileBytes + 1); // sparse: nothing is written, nothing is read
    const error = expectKioskError(() => readCatalogFile(path), ErrorCodes.CENTRAL_IMPORT_TOO_LARGE);
    expect(error.message).toContain(`${IMPORT_BOUNDS.maxFileBytes + 1} bytes`);
  });

  it("refuses more rows than the bound, naming the first row past it", () => {
    const rows = Array.from({ length: IMPORT_BOUNDS.maxRows + 1 }, (_, i) => `i${i},${i},c,A,B,USD,P,1,1`);
    const path = file("many.csv", [HEADER, ...rows].join("\n"));
    const error = expectKioskError(() => readCatalogFile(path), ErrorCodes.CENTRAL_IMPORT_TOO_LARGE);
    expect(error.message).toContain(`row ${IMPORT_BOUNDS.maxRows + 2}`);
    const many = { invoices: [], clients: Array.from({ length: IMPORT_BOUNDS.maxRows + 1 }, () => ({})) };
    expectKioskError(
      () => readCatalogFile(file("many.json", JSON.stringify(many))),
      ErrorCodes.CENTRAL_IMPORT_TOO_LARGE,
    );
  }, 60_000);

  it("names the row of a field too long, an amount out of range and a quantity that is not one", () => {
    const error = expectKioskError(
      () =>
        readCatalogFile(
          csv(
            row("inv-1"),
            row("inv-2", "10.00", { name: "N".repeat(81) }),
            row("inv-3", "10.00", { description: "D".repeat(201) }),
            row("inv-4", "9999999999999.99"),
            row("inv-5", "10.00", { quantity: "1e3" }),
            row("inv-6", "10.00", { quantity: "0" }),
            row("inv-7", "-5.00"),
          ),
        ),
      ErrorCodes.CENTRAL_IMPORT_INVALID,
    );
    expect(error.message).toContain("row 3: last_name is longer than 80 characters");
    expect(error.message).toContain("row 4: line_description is longer than 200 characters");
    expect(error.message).toContain("row 5: line_amount is out of range (0 to 10000000000000 minor units)");
    expect(error.message).toContain("row 6: line_quantity must be a whole number");
    expect(error.message).toContain("row 7: line_quantity must be a whole number");
    expect(error.message).toContain("row 8:");
    expect(error.message).not.toContain("row 2:");
  });

  it("bounds an invoice's total, naming the row it starts on", () => {
    const lines = Array.from({ length: 3 }, () => row("inv-1", "40000000000.00"));
    const error = expectKioskError(() => readCatalogFile(csv(...lines)), ErrorCodes.CENTRAL_IMPORT_INVALID);
    expect(error.message).toContain("row 2: invoice inv-1's total is out of range");
  });

  it("refuses a row or a header past its bound, and JSON nested past any catalog", () => {
    expectKioskError(
      () => readCatalogFile(csv(`${row("inv-1")},${"x".repeat(5000)}`)),
      ErrorCodes.CENTRAL_IMPORT_INVALID,
    );
    const wide = `${HEADER},${Array.from({ length: 40 }, (_, i) => `c${i}`).join(",")}`;
    expectKioskError(
      () => readCatalogFile(file("wide.csv", `${wide}\n${row("inv-1")}`)),
      ErrorCodes.CENTRAL_IMPORT_INVALID,
    );
    const deep = `{"invoices":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const error = expectKioskError(
      () => readCatalogFile(file("deep.json", deep)),
      ErrorCodes.CENTRAL_IMPORT_INVALID,
    );
    expect(error.message).toContain("nested deeper than 8 levels");
  });

  it("JSON amounts: a discount line may be negative, nothing past the bound", () => {
    const invoice = (amountMinor: number, totalMinor?: number) => ({
      id: "inv-1",
      number: "1",
      client: { id: "cl-1", firstName: "A", lastName: "B" },
      lines: [
        { description: "Session", quantity: 1, amountMinor: 20_000 },
        { description: "Discount", quantity: 1, amountMinor },
      ],
      ...(totalMinor === undefined ? {} : { totalMinor }),
      currency: "USD",
    });
    const ok = readCatalogFile(file("ok.json", JSON.stringify({ invoices: [invoice(-5_000)] })));
    expect(ok.invoices[0]?.totalMinor).toBe(15_000);
    for (const [bad, where] of [
      [invoice(IMPORT_BOUNDS.maxAmountMinor + 1), "invoices.0.lines.1.amountMinor"],
      [invoice(-IMPORT_BOUNDS.maxAmountMinor - 1), "invoices.0.lines.1.amountMinor"],
      [invoice(1, IMPORT_BOUNDS.maxAmountMinor + 1), "invoices.0.totalMinor"],
      [invoice(1, -1), "invoices.0.totalMinor"],
    ] as const) {
      const error = expectKioskError(
        () => readCatalogFile(file("bad.json", JSON.stringify({ invoices: [bad] }))),
        ErrorCodes.CENTRAL_IMPORT_INVALID,
      );
      expect(error.message).toContain(where);
    }
  });
});
