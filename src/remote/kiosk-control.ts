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
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
