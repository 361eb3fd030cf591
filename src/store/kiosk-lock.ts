import { EventEmitter } from "node:events";
import type { Database, Statement } from "better-sqlite3";
import type { Clock } from "../core/clock.js";
import type { AuditLog } from "./audit-log.js";

export type LockState =
  | { readonly locked: false }
  | { readonly locked: true; readonly reason: string; readonly by: string; readonly at: string };

const KEY = "kiosk.lock";

/**
 * The "Out of service" lock, set by staff at the kiosk or by a command from central. It is kept in
 * the database, so a restart does not reopen a kiosk someone closed, and every change is audited.
 */
export class KioskLock extends EventEmitter<{ changed: [LockState] }> {
  readonly #get: Statement<[string], { value: string }>;
  readonly #set: Statement<[string, string, string]>;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly deviceId: string,
    private readonly clock: Clock,
  ) {
    super();
    this.#get = db.prepare("SELECT value FROM device_state WHERE key = ?");
    this.#set = db.prepare(
      "INSERT INTO device_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    );
  }

  get state(): LockState {
    const row = this.#get.get(KEY);
    return row ? (JSON.parse(row.value) as LockState) : { locked: false };
  }

  lock(reason: string, by: string): LockState {
    const at = this.clock.now().toISOString();
    return this.#change(
      { locked: true, reason: reason.trim().slice(0, 200) || "Out of service", by, at },
      by,
      at,
    );
  }

  unlock(by: string): LockState {
    return this.#change({ locked: false }, by, this.clock.now().toISOString());
  }

  #change(next: LockState, by: string, at: string): LockState {
    this.db.transaction(() => {
      this.#set.run(KEY, JSON.stringify(next), at);
      this.audit.append({
        at,
        deviceId: this.deviceId,
        actor: by,
        action: next.locked ? "kiosk.locked" : "kiosk.unlocked",
        entity: "kiosk",
        entityId: this.deviceId,
        details: next.locked ? { reason: next.reason } : {},
      });
    })();
    this.emit("changed", next);
    return next;
  }
}
