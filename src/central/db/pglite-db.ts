import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { CentralDb } from "./central-db.js";

const LOCK_FILE = "spectra-central.pid";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite keeps its files for one process only: a second process opening them would corrupt them.
 * A pid file says who has them; a stale one (its process is gone) is taken over.
 */
function lock(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  try {
    writeFileSync(path, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = Number(readFileSync(path, "utf8").trim());
    if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
      throw new KioskError(
        ErrorCodes.CENTRAL_DB_IN_USE,
        `The embedded central database in ${dataDir} is open in process ${holder}. Stop that process first (PGlite serves one process).`,
        { pid: holder },
      );
    }
    writeFileSync(path, String(process.pid));
  }
  return () => rmSync(path, { force: true });
}

/** Central on PGlite, in `dataDir` (or in memory with "memory://"). */
export async function openPglite(dataDir: string): Promise<CentralDb> {
  let unlock = (): void => {};
  if (!dataDir.startsWith("memory://")) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lock(dataDir);
  }
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir.startsWith("memory://") ? undefined : join(dataDir, "pgdata"));
  } catch (error) {
    unlock();
    throw new KioskError(
      ErrorCodes.CENTRAL_DB_UNAVAILABLE,
      `Cannot open the embedded central database in ${dataDir}: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  return {
    kind: "pglite",
    query: async (text, params) => (await db.query(text, params ? [...params] : undefined)).rows as never[],
    exec: async (script) => {
      await db.exec(script);
    },
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: async (text, params) =>
            (await tx.query(text, params ? [...params] : undefined)).rows as never[],
          exec: async (script) => {
            await tx.exec(script);
          },
        }),
      ),
    close: async () => {
      await db.close();
      unlock();
    },
  };
}
