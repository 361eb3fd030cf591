import { ErrorCodes } from "../../core/error-codes.js";
import type { Logger } from "../../core/logger.js";

const describe = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  const message = String((error as Error | null)?.message ?? error).slice(0, 300);
  return typeof code === "string" ? `${code} ${message}` : message;
};

/**
 * Tells the log that central's database will not take writes: at once, then every `everyMs` while
 * it lasts, and once when writes go through again — a line per retry would be a line a second per
 * batch for as long as an outage lasts, and PostgreSQL's own log already has each one.
 */
export class OutageReport {
  #since: number | null = null;
  #lastSaid = 0;
  #failures = 0;

  constructor(
    private readonly logger: Logger,
    private readonly everyMs = 30_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get ongoing(): boolean {
    return this.#since !== null;
  }

  failed(error: unknown, retryInMs: number): void {
    const now = this.now();
    this.#failures += 1;
    if (this.#since === null) this.#since = now;
    else if (now - this.#lastSaid < this.everyMs) return;
    this.#lastSaid = now;
    const code = ErrorCodes.CENTRAL_DB_UNAVAILABLE;
    this.logger.error(
      `[${code}] central's database does not take writes (${describe(error)}): nothing is acknowledged, the kiosks keep their records, retrying (next in ${retryInMs} ms, ${this.#failures} failure(s) for ${Math.round((now - this.#since) / 1000)} s)`,
      { code, failures: this.#failures },
    );
  }

  recovered(): void {
    if (this.#since === null) return;
    const seconds = Math.round((this.now() - this.#since) / 1000);
    this.logger.info(
      `central's database takes writes again, after ${seconds} s and ${this.#failures} failure(s)`,
    );
    this.#since = null;
    this.#failures = 0;
  }
}
