import type { Logger } from "../../core/logger.js";

const MINUTE_MS = 60_000;

interface Window {
  startedAt: number;
  more: number;
}

/**
 * Logs refused requests and messages without letting a flood of them fill the log: the first of
 * each code in a window is logged with its detail, the rest are counted and said in one line when
 * the next window opens (or when the server stops).
 */
export class RefusalLog {
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly logger: Logger,
    private readonly options: { windowMs?: number; now?: () => number } = {},
  ) {}

  refused(code: string, detail: string): void {
    const now = (this.options.now ?? Date.now)();
    const window = this.#windows.get(code);
    if (window && now - window.startedAt < (this.options.windowMs ?? MINUTE_MS)) {
      window.more++;
      return;
    }
    if (window) this.#sayMore(code, window);
    this.#windows.set(code, { startedAt: now, more: 0 });
    this.logger.warn(`[${code}] ${detail}`, { code });
  }

  /** Says what was counted and not yet logged. */
  flush(): void {
    for (const [code, window] of this.#windows) this.#sayMore(code, window);
    this.#windows.clear();
  }

  #sayMore(code: string, window: Window): void {
    if (window.more === 0) return;
    this.logger.warn(`[${code}] ${window.more} more refused since the last one logged`, {
      code,
      refused: window.more,
    });
    window.more = 0;
  }
}
