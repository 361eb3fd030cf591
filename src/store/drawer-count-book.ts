import type { Database, Statement } from "better-sqlite3";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import type { Money } from "../payments/money.js";
import type { AuditLog } from "./audit-log.js";
import type { EndOfDayOutbox } from "./end-of-day-outbox.js";

export interface DrawerCount {
  readonly id: string;
  readonly shiftId: string;
  readonly counted: Money;
  readonly expected: Money;
  /** counted − expected: positive is over, negative short. */
  readonly difference: Money;
  readonly countedBy: string;
  readonly countedAt: string;
}

interface DrawerCountRow {
  id: string;
  shift_id: string;
  currency: string;
  counted_minor: number;
  expected_minor: number;
  difference_minor: number;
  counted_by: string;
  counted_at: string;
}

const fromRow = (row: DrawerCountRow): DrawerCount => ({
  id: row.id,
  shiftId: row.shift_id,
  counted: { minor: row.counted_minor, currency: row.currency },
  expected: { minor: row.expected_minor, currency: row.currency },
  difference: { minor: row.difference_minor, currency: row.currency },
  countedBy: row.counted_by,
  countedAt: row.counted_at,
});

export interface NewDrawerCount {
  readonly id: string;
  readonly shiftId: string;
  readonly counted: Money;
  readonly expected: Money;
  readonly countedBy: string;
  readonly countedAt: string;
}

/**
 * Drawer counts of a shift, each with its audit row and its end-of-day outbox row for central. Call
 * `add` inside the caller's transaction.
 */
export class DrawerCountBook {
  readonly #insert: Statement<DrawerCountRow & { device_id: string }>;
  readonly #forShift: Statement<[string], DrawerCountRow>;

  constructor(
    db: Database,
    private readonly audit: AuditLog,
    private readonly deviceId: string,
    private readonly outbox: EndOfDayOutbox,
  ) {
    this.#insert = db.prepare(
      `INSERT INTO drawer_counts (id, shift_id, device_id, currency, counted_minor, expected_minor, difference_minor, counted_by, counted_at)
       VALUES (@id, @shift_id, @device_id, @currency, @counted_minor, @expected_minor, @difference_minor, @counted_by, @counted_at)`,
    );
    this.#forShift = db.prepare("SELECT * FROM drawer_counts WHERE shift_id = ? ORDER BY counted_at, id");
  }

  add(count: NewDrawerCount): DrawerCount {
    const { counted, expected } = count;
    if (!Number.isSafeInteger(counted.minor) || counted.minor < 0 || counted.minor > 1_000_000_000) {
      throw new KioskError(ErrorCodes.STAFF_DRAWER_COUNT_INVALID, "Enter the cash counted in the drawer.", {
        countedMinor: counted.minor,
      });
    }
    if (counted.currency !== expected.currency) {
      throw new KioskError(ErrorCodes.MONEY_CURRENCY_MISMATCH, "The count and the shift differ in currency.");
    }
    const row: DrawerCountRow = {
      id: count.id,
      shift_id: count.shiftId,
      currency: counted.currency,
      counted_minor: counted.minor,
      expected_minor: expected.minor,
      difference_minor: counted.minor - expected.minor,
      counted_by: count.countedBy,
      counted_at: count.countedAt,
    };
    this.#insert.run({ ...row, device_id: this.deviceId });
    this.outbox.add(
      {
        type: "drawer-count",
        id: row.id,
        revision: 1,
        deviceId: this.deviceId,
        shiftId: row.shift_id,
        currency: row.currency,
        countedMinor: row.counted_minor,
        expectedMinor: row.expected_minor,
        differenceMinor: row.difference_minor,
        countedBy: row.counted_by,
        countedAt: row.counted_at,
      },
      row.counted_at,
    );
    this.audit.append({
      at: count.countedAt,
      deviceId: this.deviceId,
      actor: count.countedBy,
      action: "drawer.counted",
      entity: "shift",
      entityId: count.shiftId,
      details: {
        countId: count.id,
        countedMinor: row.counted_minor,
        expectedMinor: row.expected_minor,
        differenceMinor: row.difference_minor,
        currency: row.currency,
      },
    });
    return fromRow(row);
  }

  forShift(shiftId: string): DrawerCount[] {
    return this.#forShift.all(shiftId).map(fromRow);
  }
}
