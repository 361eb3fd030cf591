import type { Database, Statement } from "better-sqlite3";
import type { AuditLog } from "./audit-log.js";

export interface Shift {
  readonly id: string;
  readonly openedAt: string;
  readonly openedBy: string | null;
}

interface ShiftRow {
  id: string;
  opened_at: string;
  opened_by: string | null;
}

/**
 * The kiosk always has one open shift: records are taken in it, voids are limited to it, and the
 * end-of-day (Z) report closes it and opens the next.
 */
export class ShiftBook {
  readonly #open: Statement<[], ShiftRow>;
  readonly #insert: Statement<{ id: string; device_id: string; opened_at: string; opened_by: string | null }>;
  readonly #close: Statement<{ id: string; closed_at: string; closed_by: string | null }>;

  constructor(
    db: Database,
    private readonly audit: AuditLog,
    private readonly deviceId: string,
  ) {
    this.#open = db.prepare("SELECT id, opened_at, opened_by FROM shifts WHERE closed_at IS NULL");
    this.#insert = db.prepare(
      "INSERT INTO shifts (id, device_id, opened_at, opened_by) VALUES (@id, @device_id, @opened_at, @opened_by)",
    );
    this.#close = db.prepare(
      "UPDATE shifts SET closed_at = @closed_at, closed_by = @closed_by WHERE id = @id AND closed_at IS NULL",
    );
  }

  current(): Shift | null {
    const row = this.#open.get();
    return row ? { id: row.id, openedAt: row.opened_at, openedBy: row.opened_by } : null;
  }

  /** The open shift, opening one if there is none. Call inside the caller's transaction. */
  ensure(newId: () => string, at: string, actor: string | null): Shift {
    const open = this.current();
    if (open) return open;
    const shift = { id: newId(), openedAt: at, openedBy: actor };
    this.#insert.run({ id: shift.id, device_id: this.deviceId, opened_at: at, opened_by: actor });
    this.audit.append({
      at,
      deviceId: this.deviceId,
      actor,
      action: "shift.opened",
      entity: "shift",
      entityId: shift.id,
      details: {},
    });
    return shift;
  }

  /** Closes the open shift (end of day). Call inside the caller's transaction. */
  close(at: string, actor: string | null): Shift | null {
    const open = this.current();
    if (!open) return null;
    this.#close.run({ id: open.id, closed_at: at, closed_by: actor });
    this.audit.append({
      at,
      deviceId: this.deviceId,
      actor,
      action: "shift.closed",
      entity: "shift",
      entityId: open.id,
      details: {},
    });
    return open;
  }
}
