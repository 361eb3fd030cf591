import type { Clock } from "../../../core/clock.js";

interface Failures {
  count: number;
  lockedUntil: number;
}

/**
 * Refuses sign-in for a name after `maxFailures` wrong passwords in a row, for `lockoutMs`: a
 * password cannot be guessed at network speed. Kept in memory (per central process): a restart
 * forgives, which an operator can do anyway.
 */
export class SignInThrottle {
  readonly #failures = new Map<string, Failures>();

  constructor(
    private readonly options: { maxFailures: number; lockoutMs: number },
    private readonly clock: Clock,
  ) {}

  /** Milliseconds until `name` may try again; 0 when it may now. */
  lockedFor(name: string): number {
    const entry = this.#failures.get(name);
    if (!entry) return 0;
    const left = entry.lockedUntil - this.clock.now().getTime();
    if (left > 0) return left;
    if (entry.lockedUntil > 0) this.#failures.delete(name);
    return 0;
  }

  failed(name: string): void {
    const entry = this.#failures.get(name) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= this.options.maxFailures) {
      entry.lockedUntil = this.clock.now().getTime() + this.options.lockoutMs;
      entry.count = 0;
    }
    this.#failures.set(name, entry);
    // Bounded: a flood of made-up names cannot grow this without limit.
    if (this.#failures.size > 10_000) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
  }

  succeeded(name: string): void {
    this.#failures.delete(name);
  }
}
