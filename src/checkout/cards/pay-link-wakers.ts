import type { Waker } from "../../payments/card-processor.js";

/**
 * The payment pages (pay on your phone) the kiosk is waiting on, by Checkout Session: a notice that
 * one was paid or expired wakes its wait at once, instead of at the next poll. A notice for a page
 * nobody waits on does nothing.
 */
export class PayLinkWakers {
  readonly #waiting = new Map<string, Set<() => void>>();

  /** A waker for one payment; `listen(sessionId)` once its page exists, `forget()` when done. */
  waker(): Waker & { listen(sessionId: string): void; forget(): void } {
    let session: string | null = null;
    let wakeNow: (() => void) | null = null;
    let early = false;
    const wake = (): void => {
      if (wakeNow) wakeNow();
      else early = true;
    };
    return {
      wait: (ms) =>
        new Promise<void>((resolve) => {
          if (early) {
            early = false;
            resolve();
            return;
          }
          // Unref'd: a wait left behind (the client left) never keeps a stopping kiosk alive.
          const timer = setTimeout(done, ms);
          timer.unref();
          function done(): void {
            clearTimeout(timer);
            wakeNow = null;
            resolve();
          }
          wakeNow = done;
        }),
      listen: (sessionId) => {
        session = sessionId;
        const set = this.#waiting.get(sessionId) ?? new Set();
        set.add(wake);
        this.#waiting.set(sessionId, set);
      },
      forget: () => {
        if (session === null) return;
        const set = this.#waiting.get(session);
        set?.delete(wake);
        if (set?.size === 0) this.#waiting.delete(session);
      },
    };
  }

  /** Wakes whoever waits on this page; false when nobody does. */
  wake(sessionId: string): boolean {
    const set = this.#waiting.get(sessionId);
    if (!set) return false;
    for (const wake of set) wake();
    return true;
  }
}
