import type { KeyObject } from "node:crypto";
import type { ErrorCode } from "../core/error-codes.js";
import type { Logger } from "../core/logger.js";

/**
 * Central's command key for something it signs before sending to kiosks, read each time it is
 * needed (a key file that appears later counts at once). Without a key, nothing of that kind goes
 * out: the problem is logged with its code once, and again only when it changes, since every
 * message would repeat it.
 */
export class SigningKey {
  #problem: string | null = null;

  constructor(
    private readonly read: () => KeyObject,
    private readonly logger: Logger,
    /** The code and the words for what is not sent ("catalog pages are not sent to kiosks"). */
    private readonly unsigned: { readonly code: ErrorCode; readonly what: string },
  ) {}

  /** The key, or null when central has none now. */
  get(): KeyObject | null {
    try {
      const key = this.read();
      this.#problem = null;
      return key;
    } catch (error) {
      const problem = (error as Error).message;
      if (this.#problem !== problem)
        this.logger.error(`[${this.unsigned.code}] ${this.unsigned.what}: ${problem}`, {
          code: this.unsigned.code,
        });
      this.#problem = problem;
      return null;
    }
  }
}
