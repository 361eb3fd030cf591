import { truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IMPORT_BOUNDS } from "../../src/central/import/import-bounds.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { sqlOf } from "../helpers/central-queries.js";
import { runCli } from "../helpers/cli-process.js";
import { postgresCentral, writeTestConfig } from "../helpers/kiosk-config.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";

const HEADER =
  "invoice_id,invoice_number,client_id,first_name,last_name,currency,line_description,line_quantity,line_amount";

describe("central import refuses what is out of bounds (the CLI process, PostgreSQL)", () => {
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let config: string;
  const db = () => sqlOf(database.pool);
  const file = (name: string, text: string): string => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };
  const importFile = (path: string) =>
    runCli(["central", "import", path, "--config", config, "--no-progress"]);
  const catalog = async () => ({
    invoices: (await db().query("SELECT id, total_minor FROM invoices ORDER BY id")).length,
    clients: (await db().query("SELECT id FROM clients")).length,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = scratchDir("spectra-import-attacks-");
    // No broker listens here: the import commits and says the kiosks were not told.
    config = writeTestConfig(dir.path, "central", {
      deviceId: "central-host",
      dataDir: join(dir.path, "unused"),
      central: postgresCentral(database.url, "mqtt://127.0.0.1:9"),
    });
    const good = await importFile(
      file("good.csv", [HEADER, "inv-1,1001,cl-1,Ana,Ruiz,USD,Session,1,150.00"].join("\n")),
    );
    expect(good.code, good.output).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await database?.drop();
    dir?.remove();
  });

  it("refuses each hostile file with a coded error naming the row, and imports nothing from it", async () => {
    const before = await catalog();
    expect(before).toEqual({ invoices: 1, clients: 1 });
    const huge = file("huge.csv", "");
    truncateSync(huge, IMPORT_BOUNDS.maxFileBytes + 1);
    const manyRows = Array.from(
      { length: IMPORT_BOUNDS.maxRows + 1 },
      (_, i) => `inv-m${i},m${i},cl-m,Al,Kim,USD,Print,1,1.00`,
    );
    const attacks: [string, string, RegExp][] = [
      [huge, ErrorCodes.CENTRAL_IMPORT_TOO_LARGE, /bytes, at most/],
      [
        file("rows.csv", [HEADER, ...manyRows].join("\n")),
        ErrorCodes.CENTRAL_IMPORT_TOO_LARGE,
        new RegExp(`row ${IMPORT_BOUNDS.maxRows + 2}`),
      ],
      [
        file(
          "long.csv",
          [
            HEADER,
            "inv-2,1002,cl-2,Bo,Li,USD,Album,1,10.00",
            `inv-3,1003,cl-3,Cy,${"M".repeat(500)},USD,Frame,1,5.00`,
          ].join("\n"),
        ),
        ErrorCodes.CENTRAL_IMPORT_INVALID,
        /row 3: last_name is longer than 80 characters/,
      ],
      [
        file("amount.csv", [HEADER, "inv-4,1004,cl-4,Di,Wu,USD,Mural,1,9999999999999.00"].join("\n")),
        ErrorCodes.CENTRAL_IMPORT_INVALID,
        /row 2: line_amount is out of range/,
      ],
      [
        file(
          "amount.json",
          JSON.stringify({
            invoices: [
              {
                id: "inv-5",
                number: "1005",
                client: { id: "cl-5", firstName: "Ed", lastName: "Yu" },
                lines: [{ description: "Print", quantity: 1, amountMinor: Number.MAX_SAFE_INTEGER }],
                currency: "USD",
              },
            ],
          }),
        ),
        ErrorCodes.CENTRAL_IMPORT_INVALID,
        /invoices\.0\.lines\.0\.amountMinor/,
      ],
      [
        file("deep.json", `{"invoices":${"[".repeat(200_000)}${"]".repeat(200_000)}}`),
        ErrorCodes.CENTRAL_IMPORT_INVALID,
        /nested deeper than/,
      ],
    ];
    for (const [path, code, says] of attacks) {
      const refused = await importFile(path);
      expect(refused.code, `${path}\n${refused.output}`).toBe(1);
      expect(refused.output, path).toContain(`[${code}]`);
      expect(refused.output, path).toMatch(says);
      // A coded one-line refusal, not a crash.
      expect(refused.output, path).not.toMatch(/RangeError|at .*\.js:\d+/);
    }
    expect(await catalog()).toEqual(before);
  }, 120_000);
});
