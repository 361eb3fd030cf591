import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { sqlOf } from "../helpers/central-queries.js";
import { runCli } from "../helpers/cli-process.js";
import { postgresCentral, writeTestConfig } from "../helpers/kiosk-config.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";

const HEADER =
  "invoice_id,invoice_number,client_id,first_name,last_name,currency,line_description,line_amount";

describe("spectra-kiosk central import", () => {
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let config: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = scratchDir();
    // No broker listens here: the import still commits, and says the kiosks were not told.
    config = writeTestConfig(dir.path, "central", {
      deviceId: "central-host",
      dataDir: join(dir.path, "unused"),
      central: postgresCentral(database.url, "mqtt://127.0.0.1:9"),
    });
  });

  afterAll(async () => {
    await database?.drop();
    dir?.remove();
  });

  const csv = (rows: string[]): string => {
    const path = join(dir.path, `invoices-${rows.length}-${Date.now()}.csv`);
    writeFileSync(path, [HEADER, ...rows].join("\n"));
    return path;
  };

  it("loads a CSV, changes nothing when loaded again, and versions what changed", async () => {
    const db = sqlOf(database.pool);
    const rows = Array.from(
      { length: 1200 },
      (_, i) => `inv-${i},${5000 + i},cl-${i % 300},Al,Kim${i % 300},USD,Session,${10 + i}.50`,
    );
    const first = await runCli(["central", "import", csv(rows), "--config", config, "--no-progress"]);
    expect(first.code).toBe(0);
    expect(first.output).toContain("1200 invoices and 300 clients new or changed");
    const [count] = await db.query<{ n: unknown; total: unknown }>(
      "SELECT count(*) AS n, sum(total_minor) AS total FROM invoices",
    );
    expect(Number(count?.n)).toBe(1200);
    expect(Number(count?.total)).toBe(rows.reduce((sum, _row, i) => sum + (10 + i) * 100 + 50, 0));

    const again = await runCli(["central", "import", csv(rows), "--config", config, "--no-progress"]);
    expect(again.output).toContain("0 invoices and 0 clients new or changed");

    const changed = [...rows.slice(0, 1199), "inv-1199,6199,cl-299,Al,Kim299,USD,Session,99.99"];
    const third = await runCli(["central", "import", csv(changed), "--config", config, "--no-progress"]);
    expect(third.output).toContain("1 invoices and 0 clients new or changed");
    const [invoice] = await db.query<{ version: number; total_minor: unknown }>(
      "SELECT version, total_minor FROM invoices WHERE id = 'inv-1199'",
    );
    expect(invoice).toEqual({ version: 2, total_minor: "9999" });
  });

  it("imports nothing from a file with problems", async () => {
    const db = sqlOf(database.pool);
    const [before] = await db.query<{ n: unknown }>("SELECT count(*) AS n FROM invoices");
    const bad = await runCli([
      "central",
      "import",
      csv(["inv-x1,X1,cl-x,A,B,USD,Session,1.00", "inv-x2,X2,cl-x,A,B,USD,Session,abc"]),
      "--config",
      config,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain(ErrorCodes.CENTRAL_IMPORT_INVALID);
    expect(bad.output).toContain("row 3");
    const [after] = await db.query<{ n: unknown }>("SELECT count(*) AS n FROM invoices");
    expect(after?.n).toBe(before?.n);
  });
});
