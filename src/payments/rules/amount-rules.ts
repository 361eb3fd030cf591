import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { type Money, toDecimalString } from "../money.js";
import type { PaymentLimits } from "./rule-context.js";

/** Amount > 0, within the configured maximum, and in the invoice's currency. */
export function checkAmount(amount: Money, invoiceCurrency: string, limits: PaymentLimits): void {
  if (amount.currency !== invoiceCurrency) {
    throw new KioskError(
      ErrorCodes.PAYMENT_CURRENCY_MISMATCH,
      `The invoice is in ${invoiceCurrency}; enter the amount in ${invoiceCurrency}, not ${amount.currency}.`,
      { invoiceCurrency, currency: amount.currency },
    );
  }
  if (amount.minor <= 0) {
    throw new KioskError(ErrorCodes.PAYMENT_AMOUNT_NOT_POSITIVE, "Enter an amount greater than zero.", {
      amountMinor: amount.minor,
    });
  }
  if (amount.minor > limits.maxAmountMinor) {
    const limit = toDecimalString({ minor: limits.maxAmountMinor, currency: amount.currency });
    throw new KioskError(
      ErrorCodes.PAYMENT_AMOUNT_OVER_LIMIT,
      `The most one payment or refund can be is ${limit} ${amount.currency}; split it or ask a manager.`,
      { amountMinor: amount.minor, maxAmountMinor: limits.maxAmountMinor },
    );
  }
}
