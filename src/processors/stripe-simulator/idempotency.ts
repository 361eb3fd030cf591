import { createHash } from "node:crypto";
import type { RawStripeError } from "./simulated-failure.js";

/** An answer as sent: status and JSON body. */
export interface SimAnswer {
  readonly status: number;
  readonly body: unknown;
}

type Entry = { fingerprint: string; answer: SimAnswer | "in-progress"; at: number };

const DAY_SECONDS = 24 * 60 * 60;

const idempotencyError = (status: number, message: string, code?: string): SimAnswer => ({
  status,
  body: { error: { type: "idempotency_error", message, ...(code ? { code } : {}) } satisfies RawStripeError },
});

/**
 * Stripe's idempotency for v1: the first request with a key runs and its status and body are kept —
 * declines and server errors included — once the endpoint started; a request refused before that
 * (a missing or malformed parameter) keeps nothing. The same key with the same endpoint and
 * parameters gets the kept answer (with `Idempotent-Replayed: true`); with others, an
 * `idempotency_error`; while the first still runs, a 409. Keys are per account, up to 255
 * characters, and forgotten after 24 hours.
 */
export class IdempotencyLedger {
  readonly #entries = new Map<string, Entry>();

  static fingerprint(method: string, path: string, params: unknown): string {
    return createHash("sha256")
      .update(JSON.stringify([method, path, params]))
      .digest("hex");
  }

  async run(
    account: string,
    key: string,
    fingerprint: string,
    now: number,
    work: () => Promise<SimAnswer & { keep: boolean }>,
  ): Promise<SimAnswer & { replayed: boolean }> {
    if (key.length > 255)
      return {
        status: 400,
        body: {
          error: {
            type: "invalid_request_error",
            message: "Idempotency-Key must be at most 255 characters long.",
          },
        },
        replayed: false,
      };
    this.#prune(now);
    const id = `${account}\u0000${key}`;
    const existing = this.#entries.get(id);
    if (existing) {
      if (existing.answer === "in-progress")
        return {
          ...idempotencyError(
            409,
            `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
            "idempotency_key_in_use",
          ),
          replayed: false,
        };
      if (existing.fingerprint !== fingerprint)
        return {
          ...idempotencyError(
            400,
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          ),
          replayed: false,
        };
      return { ...existing.answer, replayed: true };
    }
    this.#entries.set(id, { fingerprint, answer: "in-progress", at: now });
    try {
      const { keep, ...answer } = await work();
      if (keep) this.#entries.set(id, { fingerprint, answer, at: now });
      else this.#entries.delete(id);
      return { ...answer, replayed: false };
    } catch (error) {
      this.#entries.delete(id);
      throw error;
    }
  }

  #prune(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (entry.answer !== "in-progress" && now - entry.at >= DAY_SECONDS) this.#entries.delete(id);
    }
  }
}
