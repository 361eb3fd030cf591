import type { Clock } from "../core/clock.js";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import type { PaymentRecord } from "../payments/payment-record.js";
import { checkFreeText } from "../payments/rules/text-rules.js";
import type { CheckoutTables } from "./checkout-tables.js";
import type { StaffActor } from "./ledger.js";

/**
 * What staff can do with an item that needs a person. The screen shows an item's actions as
 * buttons; each is a `Checkout.followUp` call, written as the record's next revision (so audited
 * and synced like any change). A processor that adds its own kind of item (a payment link for an
 * authentication-required collection) adds its action here.
 */
export const FOLLOW_UP_ACTIONS = [
  "acknowledge",
  "collect-cash",
  "collect-check",
  "retry-saved-card",
  "charge-another-card",
  "collected-elsewhere",
  "cancel",
] as const;
export type FollowUpAction = (typeof FOLLOW_UP_ACTIONS)[number];

/** Bounds of what staff type: the record's note holds it (500 characters at most). */
export const FOLLOW_UP_TEXT_MAX = 120;

export type FollowUpTables = Pick<CheckoutTables, "ledger" | "transact" | "records" | "shifts">;

export interface FollowUpDeps {
  readonly tables: FollowUpTables;
  readonly clock: Clock;
}

/** A due future payment, still scheduled: the only record the desk collects or cancels. */
function dueScheduled(deps: FollowUpDeps, recordId: string): PaymentRecord {
  const record = deps.tables.records.get(recordId);
  if (!record)
    throw new KioskError(ErrorCodes.PAYMENT_RECORD_UNKNOWN, "There is no such record.", { recordId });
  if (record.status !== "scheduled" || !record.futurePayment) {
    throw new KioskError(
      ErrorCodes.PAYMENT_NOT_COLLECTABLE,
      "This payment is not a future payment waiting to be collected (it was collected, cancelled or voided meanwhile).",
      { recordId, status: record.status },
    );
  }
  return record;
}

/** What staff typed, bounded and checked like any free text on a record (no card numbers). */
function typedText(text: string, what: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > FOLLOW_UP_TEXT_MAX) {
    throw new KioskError(
      ErrorCodes.FOLLOW_UP_TEXT_INVALID,
      `Type the ${what}: 1 to ${FOLLOW_UP_TEXT_MAX} characters.`,
      { what },
    );
  }
  return trimmed;
}

/** The note a follow-up leaves on the record, after any note it had. */
function noteWith(record: PaymentRecord, line: string): string {
  return (record.note ? `${record.note}\n${line}` : line).slice(-500);
}

function revise(
  deps: FollowUpDeps,
  record: PaymentRecord,
  change: Partial<PaymentRecord>,
  staff: StaffActor,
  action: string,
): PaymentRecord {
  checkFreeText({ ...record, ...change });
  return deps.tables.ledger.revise(record.id, change, staff.id, action);
}

/**
 * A due cash or check future payment collected at the desk: the scheduled record becomes a completed
 * payment dated today, in the open shift, by this member of staff (cash exact, the change none; a
 * check with its number). The balance does not move: a scheduled payment already counted against it.
 */
export function collectAtDesk(
  deps: FollowUpDeps,
  recordId: string,
  staff: StaffActor,
  by: { readonly type: "cash" } | { readonly type: "check"; readonly checkNumber: string },
): PaymentRecord {
  return deps.tables.transact("the collection at the desk", () => {
    const record = dueScheduled(deps, recordId);
    const today = deps.tables.ledger.today();
    if (record.dueDate !== null && record.dueDate > today) {
      throw new KioskError(ErrorCodes.PAYMENT_NOT_COLLECTABLE, "This future payment is not due yet.", {
        recordId,
        dueDate: record.dueDate,
      });
    }
    const method = record.method;
    if (method.type !== by.type && (method.type === "cash" || method.type === "check")) {
      throw new KioskError(
        ErrorCodes.PAYMENT_NOT_COLLECTABLE,
        `This future payment was promised by ${method.type}: collect it that way, or cancel it and take a new payment.`,
        { recordId, method: method.type },
      );
    }
    let collected: PaymentRecord["method"];
    if (method.type === "cash") {
      collected = { ...method, amountTendered: record.amount, changeDue: { ...record.amount, minor: 0 } };
    } else if (method.type === "check") {
      const number = typedText(by.type === "check" ? by.checkNumber : "", "check number");
      if (!/^\d{1,15}$/.test(number)) {
        throw new KioskError(ErrorCodes.PAYMENT_CHECK_NUMBER_INVALID, "A check number is 1 to 15 digits.");
      }
      collected = { ...method, checkNumber: number };
    } else {
      throw new KioskError(
        ErrorCodes.PAYMENT_NOT_COLLECTABLE,
        "A card future payment is collected from the saved card: retry it, or mark it collected elsewhere.",
        { recordId, method: method.type },
      );
    }
    return revise(
      deps,
      record,
      {
        status: "completed",
        paymentDate: today,
        method: collected,
        staffId: staff.id,
        shiftId: deps.tables.shifts.current()?.id ?? record.shiftId,
      },
      staff,
      "record.collected",
    );
  });
}

/**
 * Paid some other way (at the other desk, in Spectra, by bank transfer): the scheduled payment is
 * closed here — voided, with the reference in its note — so it is neither collected again nor
 * counted twice with the payment that was made elsewhere.
 */
export function markCollectedElsewhere(
  deps: FollowUpDeps,
  recordId: string,
  reference: string,
  staff: StaffActor,
): PaymentRecord {
  const text = typedText(reference, "reference");
  return deps.tables.transact("the follow-up", () => {
    const record = dueScheduled(deps, recordId);
    const at = deps.clock.now().toISOString();
    return revise(
      deps,
      record,
      {
        status: "voided",
        voidedAt: at,
        voidedBy: staff.id,
        note: noteWith(record, `Collected elsewhere: ${text}`),
      },
      staff,
      "record.collected-elsewhere",
    );
  });
}

/** A future payment the studio will not collect: voided, with the reason in its note. */
export function cancelScheduled(
  deps: FollowUpDeps,
  recordId: string,
  reason: string,
  staff: StaffActor,
): PaymentRecord {
  const text = typedText(reason, "reason");
  return deps.tables.transact("the cancellation", () => {
    const record = dueScheduled(deps, recordId);
    const at = deps.clock.now().toISOString();
    return revise(
      deps,
      record,
      { status: "voided", voidedAt: at, voidedBy: staff.id, note: noteWith(record, `Cancelled: ${text}`) },
      staff,
      "record.cancelled",
    );
  });
}

/**
 * The saved card failed and the client gives another: the scheduled record is closed first (voided,
 * noted) — in one transaction that refuses a record a collection is charging (`authorizing`) — so
 * the background collector and "Retry card" can never charge it; staff then take the amount as a
 * new card payment. The balance reopens by the record's amount until that payment is made.
 */
export function closeForAnotherCard(deps: FollowUpDeps, recordId: string, staff: StaffActor): PaymentRecord {
  return deps.tables.transact("the follow-up", () => {
    const record = dueScheduled(deps, recordId);
    if (record.method.type !== "card") {
      throw new KioskError(
        ErrorCodes.FOLLOW_UP_NOT_AVAILABLE,
        "Only a card future payment is charged on another card.",
        { recordId },
      );
    }
    const at = deps.clock.now().toISOString();
    return revise(
      deps,
      record,
      {
        status: "voided",
        voidedAt: at,
        voidedBy: staff.id,
        note: noteWith(record, "Closed to charge another card"),
      },
      staff,
      "record.closed-for-another-card",
    );
  });
}
