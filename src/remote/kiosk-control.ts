import type { LogLevel } from "../core/logger.js";

/** What remote commands act on: implemented by the running kiosk (src/app). */
export interface KioskControl {
  lock(reason: string, by: string): void;
  unlock(by: string): void;
  /** An orderly restart: the running kiosk is stopped and started again. */
  restart(): Promise<void>;
  syncNow(): boolean;
  reloadInvoices(): boolean;
  setLogLevel(level: LogLevel): void;
  diagnostics(): Promise<Record<string, JsonValue>>;
  /**
   * Fetches and checks a release and asks for it to be installed (the update runs outside the
   * kiosk's process, which restarts into it or is rolled back); resolves once it is handed over.
   */
  update(
    release: { version: string; url: string; sha256: string },
    commandId: string,
  ): Promise<Record<string, JsonValue>>;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
