import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { verifyAuditChain } from "../../src/store/audit-log.js";
import { openDatabase, quickCheck } from "../../src/store/database.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { invoice } from "../helpers/payments.js";
import { SETTINGS, tempDir } from "../helpers/store.js";

const WRITER = fileURLToPath(new URL("./record-writer.mjs", import.meta.url));
const KILLS = 200;

/**
 * Starts the writer and kills it with SIGKILL: while it starts, opens and migrates (`whileStarting`
 * ms after spawn), or `afterReady` ms into its write loop. Returns the ids it said were committed.
 */
function runAndKill(
  path: string,
  moment: { whileStarting: number } | { afterReady: number },
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, JSON.stringify(SETTINGS)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    const kill = (): void => {
      child.kill("SIGKILL");
    };
    if ("whileStarting" in moment) timer = setTimeout(kill, moment.whileStarting);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if ("afterReady" in moment && timer === undefined && stdout.startsWith("ready\n")) {
        timer = setTimeout(kill, moment.afterReady);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL") reject(new Error(`writer ended by itself (${code}): ${stderr}`));
      // A line cut off by the kill was never completed, so only whole lines count.
      const lines = stdout.split("\n").slice(0, -1);
      resolve(lines.filter((line) => line !== "ready"));
    });
  });
}

describe("crash safety of the local store", () => {
  const dir = tempDir("spectra-crash-");
  afterAll(() => dir.remove());

  it(`keeps every committed record with its outbox and audit rows across ${KILLS} SIGKILLs`, async () => {
    const path = join(dir.path, "kiosk.sqlite");
    const seed = openKioskStore({
      path,
      deviceId: SETTINGS.deviceId,
      clock: fixedClock("2026-11-26T17:00:00Z"),
      logger: createMemoryLogger(),
    });
    seed.invoices.upsertInvoice(
      invoice({ id: "inv-crash", number: "C-1", totalMinor: 10 ** 12 }),
      "2026-11-26T17:00:00Z",
    );
    seed.close();

    const committed: string[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      // One kill in five lands while the writer starts (loading, opening, checking the database);
      // the rest anywhere in its first 150 ms of writing.
      const moment =
        Math.random() < 0.2
          ? { whileStarting: Math.floor(Math.random() * 400) }
          : { afterReady: Math.floor(Math.random() * 150) };
      const ids = await runAndKill(path, moment);
      committed.push(...ids);

      const db = openDatabase(path);
      try {
        quickCheck(db);
        const chain = verifyAuditChain(db);
        expect(chain.problems).toEqual([]);
        const missing = db.prepare(
          `SELECT ? AS id,
             (SELECT count(*) FROM payment_records WHERE id = ?) AS records,
             (SELECT count(*) FROM outbox WHERE record_id = ?) AS outbox,
             (SELECT count(*) FROM audit_log WHERE entity = 'payment_record' AND entity_id = ?) AS audit`,
        );
        for (const id of ids)
          expect(missing.get(id, id, id, id)).toEqual({ id, records: 1, outbox: 1, audit: 1 });
        const totals = db
          .prepare(
            "SELECT (SELECT count(*) FROM payment_records) AS records, (SELECT count(*) FROM outbox) AS outbox",
          )
          .get() as { records: number; outbox: number };
        expect(totals.outbox).toBe(totals.records);
        expect(totals.records).toBeGreaterThanOrEqual(committed.length);
      } finally {
        db.close();
      }
    }
    expect(committed.length).toBeGreaterThan(KILLS); // the kills really landed mid-stream
  }, 300_000);
});
