import { inspect } from "node:util";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { passesLuhn } from "./luhn.js";
import { type MaskedPan, maskDigits } from "./masked-pan.js";

/**
 * A full card number, held only in memory for the moment a processor needs it. Every way of turning
 * it into text (String(), JSON, console, util.inspect) gives the masked form; `digits()` is the one
 * deliberate way out, and `wipe()` forgets it.
 */
export class CardNumber {
  #digits: string | undefined;
  readonly masked: MaskedPan;
  readonly bin: string;
  readonly last4: string;

  private constructor(digits: string) {
    this.#digits = digits;
    this.masked = maskDigits(digits);
    this.bin = digits.slice(0, 6);
    this.last4 = digits.slice(-4);
  }

  /** Accepts 12–19 digits (spaces and dashes between groups are ignored) that pass Luhn. */
  static parse(text: string): CardNumber {
    const digits = text.replace(/[\s-]/g, "");
    if (!/^\d{12,19}$/.test(digits)) {
      throw new KioskError(ErrorCodes.CARD_NUMBER_INVALID, "A card number is 12 to 19 digits.");
    }
    if (!passesLuhn(digits)) {
      throw new KioskError(
        ErrorCodes.CARD_LUHN_FAILED,
        "The card number fails its check digit: read it again or try another card.",
        { masked: maskDigits(digits) },
      );
    }
    return new CardNumber(digits);
  }

  digits(): string {
    if (this.#digits === undefined) {
      throw new KioskError(ErrorCodes.CARD_NUMBER_INVALID, "This card number was already wiped after use.");
    }
    return this.#digits;
  }

  wipe(): void {
    this.#digits = undefined;
  }

  get wiped(): boolean {
    return this.#digits === undefined;
  }

  toString(): string {
    return this.masked;
  }

  toJSON(): string {
    return this.masked;
  }

  [inspect.custom](): string {
    return `CardNumber(${this.masked})`;
  }
}
