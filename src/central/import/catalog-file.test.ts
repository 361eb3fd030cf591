import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectKioskError } from "../../../test/helpers/kiosk-error.js";
import { scratchDir } from "../../../test/helpers/kiosk-store.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { readCatalogFile } from "./catalog-file.js";

const HEADER =
  "invoice_id,invoice_number,client_id,first_name,last_name,session_id,currency,line_description,line_quantity,line_amount";

describe("readCatalogFile", () => {
  let dir: ReturnType<typeof scratchDir>;
  const file = (name: string, text: string): string => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };
  beforeEach(() => {
    dir = scratchDir();
  });
  afterEach(() => dir.remove());

  it("reads CSV rows as invoice lines, with exact decimal amounts", () => {
    const catalog = readCatalogFile(
      file(
        "a.csv",
        [
          HEADER,
          "inv-1, 1001 ,cl-1,Ana,Núñez,,USD,Session,1,150.00",
          'inv-1,1001,cl-1,Ana,Núñez,,USD,"Prints, 8x10",3,45.10',
          "inv-2,1002,cl-2,Bo,Li,sess-9,JPY,Album,1,30000",
        ].join("\n"),
      ),
    );
    expect(catalog.invoices).toEqual([
      {
        id: "inv-1",
        number: "1001",
        client: { id: "cl-1", firstName: "Ana", lastName: "Núñez" },
        sessionId: null,
        lines: [
          { description: "Session", quantity: 1, amountMinor: 15_000 },
          { description: "Prints, 8x10", quantity: 3, amountMinor: 4510 },
        ],
        totalMinor: 19_510,
        currency: "USD",
      },
      {
        id: "inv-2",
        number: "1002",
        client: { id: "cl-2", firstName: "Bo", lastName: "Li" },
        sessionId: "sess-9",
        lines: [{ description: "Album", quantity: 1, amountMinor: 30_000 }],
        totalMinor: 30_000,
        currency: "JPY",
      },
    ]);
    expect(catalog.clients.map((client) => client.id)).toEqual(["cl-1", "cl-2"]);
  });

  it("reads JSON with amounts in minor units", () => {
    const catalog = readCatalogFile(
      file(
        "a.json",
        JSON.stringify({
          clients: [{ id: "cl-9", firstName: "Cy", lastName: "Moe" }],
          invoices: [
            {
              id: "inv-9",
              number: "9",
              client: { id: "cl-9", firstName: "Cy", lastName: "Moe" },
              lines: [{ description: "Frame", quantity: 2, amountMinor: 5000 }],
              totalMinor: 5400,
              currency: "USD",
            },
          ],
        }),
      ),
    );
    expect(catalog.invoices[0]?.totalMinor).toBe(5400);
    expect(catalog.clients).toHaveLength(1);
  });

  it("lists every problem and imports nothing", () => {
    const error = expectKioskError(
      () =>
        readCatalogFile(
          file(
            "bad.csv",
            [
              HEADER,
              "inv-1,1001,cl-1,Ana,Núñez,,USD,Session,1,12.345",
              "inv-2,1002,cl-1,Ana,Núñez,,USD,Print,x,5",
              "inv-3,1003,cl-2,Bo,Li,,USD,Print,1,5",
              "inv-5,1003,cl-2,Bo,Li,,USD,Print,1,5",
              "inv-4,1004,cl-2,Bob,Li,,USD,Print,1,5",
            ].join("\n"),
          ),
        ),
      ErrorCodes.CENTRAL_IMPORT_INVALID,
    );
    expect(error.message).toContain("row 2");
    expect(error.message).toContain("row 3: line_quantity must be a whole number from 1 to 100000");
    expect(error.message).toContain("invoice number 1003 is used by inv-3 and inv-5");
    expect(error.message).toContain("client cl-2: named both");
    expectKioskError(() => readCatalogFile(file("x.csv", "a,b\n1,2")), ErrorCodes.CENTRAL_IMPORT_INVALID);
    expectKioskError(() => readCatalogFile(file("x.json", "{")), ErrorCodes.CENTRAL_IMPORT_INVALID);
    expectKioskError(
      () => readCatalogFile(join(dir.path, "missing.json")),
      ErrorCodes.CENTRAL_IMPORT_UNREADABLE,
    );
  });

  describe("payments already made in Spectra", () => {
    const PAY_HEADER = `${HEADER},payment_reference,payment_amount,payment_date,payment_method,payment_kind`;

    it("reads a CSV row with a payment_reference as a payment on its invoice, in exact minor units", () => {
      const catalog = readCatalogFile(
        file(
          "p.csv",
          [
            PAY_HEADER,
            "inv-1,1001,cl-1,Ana,Núñez,,USD,Session,1,150.00,,,,,",
            "inv-1,,,,,,USD,,,,SP-DEP-1,40.10,2026-11-30,Front desk cash,",
            "inv-1,,,,,,USD,,,,SP-REF-2,5.00,2026-12-01,Front desk cash,refund",
          ].join("\n"),
        ),
      );
      expect(catalog.invoices).toHaveLength(1);
      expect(catalog.payments).toEqual([
        {
          reference: "SP-DEP-1",
          invoiceId: "inv-1",
          kind: "payment",
          amountMinor: 4_010,
          currency: "USD",
          paidOn: "2026-11-30",
          method: "Front desk cash",
        },
        expect.objectContaining({ reference: "SP-REF-2", kind: "refund", amountMinor: 500 }),
      ]);
    });

    it("refuses a whole file with a bad payment: zero, absurd, a bad date, a line on a payment row, a reference twice", () => {
      const rows = [
        PAY_HEADER,
        "inv-1,,,,,,USD,,,,SP-1,0.00,2026-11-30,Cash,",
        "inv-1,,,,,,USD,,,,SP-2,99999999999999.00,2026-11-30,Cash,",
        "inv-1,,,,,,USD,,,,SP-3,1.00,2026-13-45,Cash,",
        "inv-1,,,,,,USD,Extra,1,1.00,SP-4,1.00,2026-11-30,Cash,",
        "inv-1,,,,,,USD,,,,SP-5,1.00,2026-11-30,Cash,",
        "inv-1,,,,,,USD,,,,SP-5,2.00,2026-11-30,Cash,",
      ];
      const error = expectKioskError(
        () => readCatalogFile(file("bad.csv", rows.join("\n"))),
        ErrorCodes.CENTRAL_IMPORT_INVALID,
      );
      expect(error.message).toMatch(/row 2: payment amountMinor/);
      expect(error.message).toMatch(/row 3: payment_amount/);
      expect(error.message).toMatch(/row 4: payment paidOn/);
      expect(error.message).toMatch(/row 5: a payment row carries no invoice line/);
      expect(error.message).toMatch(/SP-5 names two different payments/);
    });

    it("reads JSON payments and refuses one with an unknown field or a fractional amount", () => {
      const good = {
        invoices: [],
        payments: [
          {
            reference: "SP-9",
            invoiceId: "inv-1",
            amountMinor: 2_500,
            currency: "EUR",
            paidOn: "2026-12-01",
            method: "Card at desk",
          },
        ],
      };
      expect(readCatalogFile(file("p.json", JSON.stringify(good))).payments).toEqual([
        { ...good.payments[0], kind: "payment" },
      ]);
      for (const bad of [{ amountMinor: 25.5 }, { cardNumber: "4111111111111111" }, { amountMinor: -1 }]) {
        const text = JSON.stringify({ payments: [{ ...good.payments[0], ...bad }] });
        expectKioskError(() => readCatalogFile(file("bad.json", text)), ErrorCodes.CENTRAL_IMPORT_INVALID);
      }
    });
  });
});
