import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import type { Logger } from "../core/logger.js";
import { type BackoffPolicy, backoffDelay } from "../sync/mqtt/backoff.js";
import { failureKind } from "./ingest/db-errors.js";

export interface DatabaseWait {
  /** Stops the waiting: untilDatabaseReady then resolves false. */
  readonly signal: AbortSignal;
  /** Told why central waits, at every failed attempt (systemd's STATUS, for one). */
  readonly onWaiting?: (reason: string) => void;
  readonly backoff?: BackoffPolicy;
}

const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Worth waiting for: the database's own trouble (unreachable, starting up, refusing a grant), as
 * db-errors.ts tells it. Not worth it: our own coded errors without a cause (the schema is newer
 * than this software) and data the database refuses — waiting changes neither.
 */
function worthWaiting(error: unknown): boolean {
  if (error instanceof KioskError && error.cause === undefined) return false;
  const cause = error instanceof KioskError ? error.cause : error;
  return failureKind(cause) !== "bad-data";
}

/**
 * Runs `attempt` (connect and migrate) until it succeeds, waiting with backoff between attempts
 * while the database is unavailable, instead of exiting into the service manager's restart limit.
 * Resolves true once it succeeded, false when stopped first; throws what waiting cannot fix.
 */
export async function untilDatabaseReady(
  attempt: () => Promise<void>,
  wait: DatabaseWait,
  logger: Logger,
): Promise<boolean> {
  const stopped = aborted(wait.signal);
  for (let failures = 0; ; failures += 1) {
    if (wait.signal.aborted) return false;
    try {
      // An attempt can hang up to the connect timeout: stopping does not wait for it.
      if ((await Promise.race([attempt().then(() => "done" as const), stopped])) === "stopped") return false;
      if (failures > 0) logger.info(`central's database answers, after ${failures} failed attempt(s)`);
      return true;
    } catch (error) {
      if (!worthWaiting(error)) throw error;
      const delay = backoffDelay(failures, wait.backoff ?? DEFAULT_BACKOFF);
      const reason = String((error as Error).message)
        .replace(/^\[[A-Z_]+\] /, "")
        .slice(0, 300);
      const code = ErrorCodes.CENTRAL_DB_UNAVAILABLE;
      logger[failures === 0 ? "error" : "warn"](
        `[${code}] waiting for central's database: ${reason} (attempt ${failures + 1}; next in ${delay} ms)`,
        { code, failures: failures + 1 },
      );
      wait.onWaiting?.(`waiting for the database: ${reason}`);
      await abortableSleep(delay, wait.signal);
    }
  }
}

function aborted(signal: AbortSignal): Promise<"stopped"> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve("stopped");
    else signal.addEventListener("abort", () => resolve("stopped"), { once: true });
  });
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
