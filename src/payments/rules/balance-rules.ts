import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { cardKey, cardNetPaid, type InvoiceAccount } from "../invoice-account.js";
import { type Money, subtract, toDecimalString } from "../money.js";
import type { PaymentMethod } from "../payment-method.js";
import type { RecordLine } from "../payment-record.js";
import type { Channel, PaymentLimits } from "./rule-context.js";

const shown = (amount: Money): string => `${toDecimalString(amount)} ${amount.currency}`;

/**
 * A payment may not exceed what is still payable unless its method allows overpayment; the excess is
 * then returned as credit. At the self-service counter, part payments follow the configured rules.
 */
export function checkPaymentFits(
  amount: Money,
  account: InvoiceAccount,
  method: PaymentMethod,
  channel: Channel,
  limits: PaymentLimits,
): Money | null {
  if (channel.kind === "self-service" && amount.minor < account.payable.minor) {
    if (!limits.selfService.allowPartial) {
      throw new KioskError(
        ErrorCodes.PAYMENT_EXCEEDS_BALANCE,
        `Please pay the full balance of ${shown(account.payable)}, or see the front desk.`,
        { payableMinor: account.payable.minor },
      );
    }
    if (amount.minor < limits.selfService.minPartialMinor) {
      throw new KioskError(
        ErrorCodes.PAYMENT_AMOUNT_NOT_POSITIVE,
        `A part payment here is at least ${shown({ minor: limits.selfService.minPartialMinor, currency: amount.currency })}.`,
        { minPartialMinor: limits.selfService.minPartialMinor },
      );
    }
  }
  if (amount.minor <= account.payable.minor) return null;
  if (!method.allowsOverpayment) {
    throw new KioskError(
      ErrorCodes.PAYMENT_EXCEEDS_BALANCE,
      `This is more than is owed: the most you can pay now is ${shown(account.payable)}.`,
      { amountMinor: amount.minor, payableMinor: account.payable.minor },
    );
  }
  return subtract(amount, account.payable);
}

/**
 * A refund may not exceed what was paid and not yet refunded; a card refund goes back to the card of
 * the payment it names, and not beyond what that card paid.
 */
export function checkRefundFits(
  amount: Money,
  account: InvoiceAccount,
  method: PaymentMethod,
  records: readonly RecordLine[],
  original: RecordLine | null,
): void {
  if (amount.minor > account.refundable.minor) {
    throw new KioskError(
      ErrorCodes.REFUND_EXCEEDS_NET_PAID,
      `The most that can be refunded on this invoice is ${shown(account.refundable)}.`,
      { amountMinor: amount.minor, refundableMinor: account.refundable.minor },
    );
  }
  if (method.type !== "card") return;
  if (original?.method.type !== "card") {
    throw new KioskError(
      ErrorCodes.REFUND_ORIGINAL_INVALID,
      "A card refund goes back to the card of a payment: choose the card payment to refund.",
    );
  }
  const key = cardKey(original);
  const onCard = key === null ? original.amount : cardNetPaid(records, key, amount.currency);
  if (amount.minor > onCard.minor) {
    throw new KioskError(
      ErrorCodes.REFUND_EXCEEDS_CARD_PAID,
      `That card has ${shown(onCard)} left to refund on this invoice.`,
      { amountMinor: amount.minor, cardRefundableMinor: onCard.minor },
    );
  }
}

/** The payment a refund names: it must be a completed payment on the same invoice. */
export function findOriginal(refundOf: string | null, records: readonly RecordLine[]): RecordLine | null {
  if (refundOf === null) return null;
  const original = records.find((record) => record.id === refundOf);
  if (original?.kind !== "payment" || original.status !== "completed") {
    throw new KioskError(
      ErrorCodes.REFUND_ORIGINAL_INVALID,
      "The payment to refund must be a completed payment on this invoice.",
      { refundOf },
    );
  }
  return original;
}
