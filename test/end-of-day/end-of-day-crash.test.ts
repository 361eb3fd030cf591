import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { endOfDayItemSchema } from "../../src/payments/end-of-day.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { tempDir } from "../helpers/store.js";

const WRITER = fileURLToPath(new URL("./paperwork-writer.mjs", import.meta.url));
const KILLS = 40;
const DEVICE = "kiosk-crash";

/** Runs the writer and SIGKILLs it `afterMs` into its loop; returns the lines it completed. */
function runAndKill(path: string, afterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, DEVICE], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (timer === undefined && stdout.startsWith("ready\n"))
        timer = setTimeout(() => child.kill("SIGKILL"), afterMs);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL") reject(new Error(`writer ended by itself (${code}): ${stderr}`));
      resolve(
        stdout
          .split("\n")
          .slice(0, -1)
          .filter((line) => line !== "ready"),
      );
    });
  });
}

describe("end-of-day paperwork across kill -9 (requires npm run build)", () => {
  const dir = tempDir("spectra-eod-crash-");
  afterAll(() => dir.remove());

  it(`keeps every committed count and closing with its outbox rows across ${KILLS} SIGKILLs`, async () => {
    const path = join(dir.path, "kiosk.sqlite");
    const done: string[] = [];
    for (let kill = 0; kill < KILLS; kill += 1)
      done.push(...(await runAndKill(path, Math.floor(Math.random() * 120))));
    expect(done.length).toBeGreaterThan(KILLS);

    const store = openKioskStore({
      path,
      deviceId: DEVICE,
      clock: systemClock,
      logger: createMemoryLogger(),
    });
    try {
      const rows = store.db
        .prepare("SELECT item_id, revision, type, payload FROM end_of_day_outbox ORDER BY seq")
        .all() as { item_id: string; revision: number; type: string; payload: string }[];
      const queued = new Set(rows.map((row) => `${row.type} ${row.item_id} ${row.revision}`));
      // Everything the writer said it committed is queued for central...
      for (const line of done) {
        const [what, id] = line.split(" ");
        if (what === "count") expect(queued.has(`drawer-count ${id} 1`), line).toBe(true);
        else expect(queued.has(`shift ${id} 2`), line).toBe(true);
      }
      // ...and the queue matches the tables exactly: no change without its item, no item without its change.
      const shifts = store.db.prepare("SELECT id, closed_at FROM shifts").all() as {
        id: string;
        closed_at: string | null;
      }[];
      const counts = store.db.prepare("SELECT id FROM drawer_counts").all() as { id: string }[];
      const zReports = rows
        .filter((row) => row.type === "report")
        .map((row) => JSON.parse(row.payload) as { shiftId: string });
      for (const shift of shifts) {
        expect(queued.has(`shift ${shift.id} 1`)).toBe(true);
        expect(queued.has(`shift ${shift.id} 2`)).toBe(shift.closed_at !== null);
        expect(zReports.filter((report) => report.shiftId === shift.id)).toHaveLength(
          shift.closed_at ? 1 : 0,
        );
      }
      for (const count of counts) expect(queued.has(`drawer-count ${count.id} 1`)).toBe(true);
      expect(rows.filter((row) => row.type === "shift")).toHaveLength(
        shifts.length + shifts.filter((shift) => shift.closed_at).length,
      );
      expect(rows.filter((row) => row.type === "drawer-count")).toHaveLength(counts.length);
      // Every queued item is one central takes.
      for (const row of rows)
        expect(endOfDayItemSchema.safeParse(JSON.parse(row.payload)).success).toBe(true);
    } finally {
      store.close();
    }
  }, 300_000);
});
