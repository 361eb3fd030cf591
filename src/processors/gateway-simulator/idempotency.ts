import { createHash } from "node:crypto";

/** A stored answer to replay for a repeated idempotency key. */
export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
}

type Entry = { fingerprint: string; answer: StoredAnswer | "in-progress" };

/**
 * Idempotency as Stripe does it: the first request with a key runs and its answer is kept; the same
 * key with the same parameters gets that answer again; with other parameters, an error; while the
 * first is still running, an error too. Server errors are not kept, so a retry runs again.
 */
export class IdempotencyKeys {
  readonly #entries = new Map<string, Entry>();

  static fingerprint(parts: unknown): string {
    return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  }

  async run(
    scope: string,
    key: string,
    fingerprint: string,
    work: () => Promise<StoredAnswer>,
  ): Promise<StoredAnswer> {
    const id = `${scope}:${key}`;
    const existing = this.#entries.get(id);
    if (existing) {
      if (existing.fingerprint !== fingerprint)
        return conflict("idempotency_key_reused", "This key was used with other parameters.");
      if (existing.answer === "in-progress")
        return conflict("idempotency_key_in_use", "A request with this key is still running.");
      return existing.answer;
    }
    this.#entries.set(id, { fingerprint, answer: "in-progress" });
    try {
      const answer = await work();
      if (answer.status >= 500) this.#entries.delete(id);
      else this.#entries.set(id, { fingerprint, answer });
      return answer;
    } catch (error) {
      this.#entries.delete(id);
      throw error;
    }
  }
}

function conflict(code: string, message: string): StoredAnswer {
  return { status: 409, body: { error: { type: "idempotency_error", code, message } } };
}
