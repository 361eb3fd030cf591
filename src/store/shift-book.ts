import type { Database, Statement } from "better-sqlite3";
import { type ReportTaken, shiftReportItem } from "../payments/shift-report-item.js";
import type { ShiftTotals } from "../payments/shift-totals.js";
import type { AuditLog } from "./audit-log.js";
import type { EndOfDayOutbox } from "./end-of-day-outbox.js";

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
 * end-of-day (Z) report closes it and opens the next. Each opening and closing is queued for central
 * (the end-of-day outbox) in the same transaction.
 */
export class ShiftBook {
  readonly #open: Statement<[], ShiftRow>;
  readonly #insert: Statement<{ id: string; device_id: string; opened_at: string; opened_by: string | null }>;
  readonly #close: Statement<{ id: string; closed_at: string; closed_by: string | null }>;

  constructor(
    db: Database,
    private readonly audit: AuditLog,
    private readonly deviceId: string,
    private readonly outbox: EndOfDayOutbox,
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
    this.outbox.add(
      {
        type: "shift",
        id: shift.id,
        revision: 1,
        deviceId: this.deviceId,
        openedAt: at,
        openedBy: actor,
        closedAt: null,
        closedBy: null,
      },
      at,
    );
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
    this.outbox.add(
      {
        type: "shift",
        id: open.id,
        revision: 2,
        deviceId: this.deviceId,
        openedAt: open.openedAt,
        openedBy: open.openedBy,
        closedAt: at,
        closedBy: actor,
      },
      at,
    );
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

  /**
   * An X or Z report was taken: audited, and queued for central with its totals. Call inside the
   * caller's transaction (the one that read the totals, and for a Z report closed the shift).
   */
  reportTaken(taken: Omit<ReportTaken, "deviceId">, totals: ShiftTotals): void {
    const item = shiftReportItem({ ...taken, deviceId: this.deviceId }, totals);
    this.audit.append({
      at: taken.takenAt,
      deviceId: this.deviceId,
      actor: taken.takenBy,
      action: taken.report === "Z" ? "shift.z-report" : "shift.x-report",
      entity: "shift",
      entityId: taken.shiftId,
      details: { reportId: taken.id, netMinor: item.netMinor, currency: item.currency },
    });
    this.outbox.add(item, taken.takenAt);
  }
}
