import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";

declare const maskedPanBrand: unique symbol;

/**
 * A card number with everything but the first 6 and last 4 digits replaced by "*"
 * ("411111******1111"). Storage, logs and sync accept only this type, so handing them a full
 * number (a plain string or a CardNumber) is a compile error.
 */
export type MaskedPan = string & { readonly [maskedPanBrand]: true };

const MASKED_PATTERN = /^(\d{6})(\*{2,9})(\d{4})$/;

export function isMaskedPan(text: string): boolean {
  return MASKED_PATTERN.test(text) && text.length >= 12 && text.length <= 19;
}

/** Checks a masked number read from storage, the network or a reader's masked track. */
export function parseMaskedPan(text: string): MaskedPan {
  if (!isMaskedPan(text)) {
    throw new KioskError(
      ErrorCodes.CARD_MASKED_PAN_INVALID,
      "A masked card number must be the first 6 digits, 2–9 '*', then the last 4 digits.",
    );
  }
  return text as MaskedPan;
}

/** Masks a string of card digits. Only CardNumber calls this; everything else gets a MaskedPan. */
export function maskDigits(digits: string): MaskedPan {
  return `${digits.slice(0, 6)}${"*".repeat(digits.length - 10)}${digits.slice(-4)}` as MaskedPan;
}

export function lastFour(masked: MaskedPan): string {
  return masked.slice(-4);
}
