import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { CardSource } from "../../payments/card-processor.js";
import type { Money } from "../../payments/money.js";
import { toDecimalString } from "../../payments/money.js";
import type { OfflinePolicy } from "../../processors/config.js";

/**
 * Whether a card payment may be stored to forward later while the processor is unreachable:
 * only when enabled, only for reader-encrypted cards (a plain-track swipe is never stored), and
 * only within the per-payment and total caps. Throws the reason for the screen otherwise.
 */
export function checkOfflineAcceptance(
  policy: OfflinePolicy | null,
  source: CardSource,
  amount: Money,
  storedTotalMinor: number,
): void {
  if (!policy?.enabled) {
    throw new KioskError(
      ErrorCodes.CARD_OFFLINE_NOT_ALLOWED,
      "Card payments are unavailable right now (no connection to the card processor). Please pay with cash or check at the front desk.",
    );
  }
  if (source.kind !== "encrypted") {
    throw new KioskError(
      ErrorCodes.CARD_OFFLINE_NOT_ALLOWED,
      "This card can't be taken while the card processor is offline. Please pay with cash or check, or try again later.",
      { source: source.kind },
    );
  }
  if (amount.minor > policy.perPaymentCapMinor) {
    throw new KioskError(
      ErrorCodes.CARD_OFFLINE_CAP_EXCEEDED,
      `While offline, a card payment can be at most ${toDecimalString({ minor: policy.perPaymentCapMinor, currency: amount.currency })} ${amount.currency}.`,
      { capMinor: policy.perPaymentCapMinor },
    );
  }
  if (storedTotalMinor + amount.minor > policy.totalCapMinor) {
    throw new KioskError(
      ErrorCodes.CARD_OFFLINE_CAP_EXCEEDED,
      "The kiosk is holding as many offline card payments as it may. Please pay with cash or check.",
      { totalCapMinor: policy.totalCapMinor, storedMinor: storedTotalMinor },
    );
  }
}
