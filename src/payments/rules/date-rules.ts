import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { PaymentDraft } from "../payment-draft.js";
import { parseStudioDate, type StudioDate } from "../studio-date.js";

export interface RecordDates {
  paymentDate: StudioDate | null;
  dueDate: StudioDate | null;
  refundableUntil: StudioDate | null;
}

/**
 * Payment date defaults to today and may be earlier, not later (that is a future payment); a future
 * payment has a due date after today and no payment date; refundable-until is not before the day
 * the money moves.
 */
export function resolveDates(draft: PaymentDraft, today: StudioDate): RecordDates {
  let paymentDate: StudioDate | null = null;
  let dueDate: StudioDate | null = null;
  if (draft.futurePayment) {
    if (draft.kind === "refund") {
      throw new KioskError(ErrorCodes.REFUND_FUTURE_NOT_ALLOWED, "A refund cannot be a future payment.");
    }
    if (draft.dueDate === null) {
      throw new KioskError(ErrorCodes.PAYMENT_DUE_DATE_NOT_AFTER_TODAY, "A future payment needs a due date.");
    }
    dueDate = parseStudioDate(draft.dueDate, "Due date");
    if (dueDate <= today) {
      throw new KioskError(
        ErrorCodes.PAYMENT_DUE_DATE_NOT_AFTER_TODAY,
        `A future payment's due date must be after today (${today}); for today, record a normal payment.`,
        { dueDate, today },
      );
    }
  } else {
    paymentDate = draft.paymentDate === null ? today : parseStudioDate(draft.paymentDate, "Payment date");
    if (paymentDate > today) {
      throw new KioskError(
        ErrorCodes.PAYMENT_DATE_IN_FUTURE,
        `The payment date cannot be after today (${today}); use Future Payment with a due date instead.`,
        { paymentDate, today },
      );
    }
  }

  let refundableUntil: StudioDate | null = null;
  if (draft.refundableUntil !== null) {
    if (!draft.refundable) {
      throw new KioskError(
        ErrorCodes.PAYMENT_RECORD_INVALID,
        "Tick Refundable before giving a refundable-until date.",
      );
    }
    refundableUntil = parseStudioDate(draft.refundableUntil, "Refundable until");
    const from = paymentDate ?? dueDate ?? today;
    if (refundableUntil < from) {
      throw new KioskError(
        ErrorCodes.PAYMENT_REFUNDABLE_UNTIL_BEFORE_PAYMENT,
        `Refundable until (${refundableUntil}) must be on or after the payment date (${from}).`,
        { refundableUntil, paymentDate: from },
      );
    }
  }
  return { paymentDate, dueDate, refundableUntil };
}
