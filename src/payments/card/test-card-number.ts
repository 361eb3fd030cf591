import { passesLuhn } from "./luhn.js";
import { type MaskedPan, parseMaskedPan } from "./masked-pan.js";

/**
 * A full number for a published test card, made when it is needed from the card's masked form
 * (first 6, one "*" per hidden digit, last 4): the hidden digits are zeros but the one just before
 * the last 4, which is chosen so the number passes Luhn. Simulators key a test card's behaviour on
 * that masked form, as processors' test modes key on BIN, last 4 and length, so the made number
 * behaves as the published one does — and no full number has to sit in the source.
 * For simulated mode only (the DEV panel, the reader emulator): a real reader sends real numbers.
 */
export function testCardNumber(masked: string): string {
  const checked: MaskedPan = parseMaskedPan(masked);
  const hidden = checked.length - 10;
  const head = `${checked.slice(0, 6)}${"0".repeat(hidden - 1)}`;
  const last4 = checked.slice(-4);
  for (let digit = 0; digit <= 9; digit += 1) {
    const number = `${head}${digit}${last4}`;
    if (passesLuhn(number)) return number;
  }
  // Unreachable: the digit before the last 4 is never doubled, so one of the ten passes.
  throw new Error(`no Luhn-valid number for ${checked}`);
}
