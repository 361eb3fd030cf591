import type { Clock } from "../core/clock.js";
import type { PaymentRecord } from "../payments/payment-record.js";
import { type ShiftTotals, shiftTotals } from "../payments/shift-totals.js";
import type { DrawerCount, DrawerCountBook } from "../store/drawer-count-book.js";
import type { RecordStore } from "../store/record-store.js";
import type { Shift, ShiftBook } from "../store/shift-book.js";
import type { Transact } from "../store/transaction.js";

/** A shift's report: its totals and the drawer counts taken in it. */
export interface ShiftReport extends ShiftTotals {
  readonly shift: Shift;
  readonly closedAt: string | null;
  readonly records: readonly PaymentRecord[];
  readonly drawerCounts: readonly DrawerCount[];
}

export interface ShiftDeskOptions {
  /** The tables the paperwork reads and writes, and the store's transactions. */
  readonly store: {
    readonly transact: Transact;
    readonly shifts: ShiftBook;
    readonly records: RecordStore;
    readonly drawerCounts: DrawerCountBook;
  };
  readonly currency: string;
  readonly clock: Clock;
  readonly newId: () => string;
}

/**
 * The shift's paperwork: the shift (X) report, the end-of-day (Z) report that closes the shift and
 * opens the next, and drawer counts against the cash the shift expects. Each is one transaction,
 * so a record taken meanwhile is either in the report or in the next shift, never lost between; each
 * queues what it did for central (the end-of-day outbox) in that same transaction.
 */
export class ShiftDesk {
  constructor(private readonly options: ShiftDeskOptions) {}

  /** The open shift's (X) report, opening a shift if there is none; central receives it too. */
  report(actor: string): ShiftReport {
    return this.#immediate("the shift report", () => {
      const report = this.#report(this.#open(actor), null);
      this.#taken("X", report, this.options.clock.now().toISOString(), actor);
      return report;
    });
  }

  /** End of day: the report of the shift it closes; the next shift opens at once. */
  closeDay(actor: string): ShiftReport {
    return this.#immediate("the end-of-day report", () => {
      const shift = this.#open(actor);
      const at = this.options.clock.now().toISOString();
      this.options.store.shifts.close(at, actor);
      const report = this.#report(shift, at);
      this.#taken("Z", report, at, actor);
      this.options.store.shifts.ensure(this.options.newId, at, actor);
      return report;
    });
  }

  /** Records what staff counted in the drawer against the cash the open shift expects. */
  countDrawer(countedMinor: number, actor: string): DrawerCount {
    return this.#immediate("the drawer count", () => {
      const shift = this.#open(actor);
      const { currency } = this.options;
      const expected = shiftTotals(this.options.store.records.forShift(shift.id), currency).expectedCash;
      return this.options.store.drawerCounts.add({
        id: this.options.newId(),
        shiftId: shift.id,
        counted: { minor: countedMinor, currency },
        expected,
        countedBy: actor,
        countedAt: this.options.clock.now().toISOString(),
      });
    });
  }

  #taken(kind: "X" | "Z", report: ShiftReport, at: string, actor: string): void {
    this.options.store.shifts.reportTaken(
      {
        id: this.options.newId(),
        shiftId: report.shift.id,
        report: kind,
        takenAt: at,
        takenBy: actor,
        currency: this.options.currency,
      },
      report,
    );
  }

  #open(actor: string): Shift {
    const at = this.options.clock.now().toISOString();
    return this.options.store.shifts.ensure(this.options.newId, at, actor);
  }

  #report(shift: Shift, closedAt: string | null): ShiftReport {
    const records = this.options.store.records.forShift(shift.id);
    return {
      ...shiftTotals(records, this.options.currency),
      shift,
      closedAt,
      records,
      drawerCounts: this.options.store.drawerCounts.forShift(shift.id),
    };
  }

  #immediate<T>(doing: string, work: () => T): T {
    return this.options.store.transact(doing, work);
  }
}
