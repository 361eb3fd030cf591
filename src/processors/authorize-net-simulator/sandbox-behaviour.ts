import type { SandboxCard } from "./merchant-books.js";

/**
 * What Authorize.Net's sandbox does with a card, as its testing guide documents it, plus cards of the
 * simulator's own for what the sandbox cannot be asked to do (answer late, decline whatever the
 * amount).
 *
 * - The documented test numbers, and any other number that passes Luhn, are approved.
 * - The Visa test card 422222***2222 answers with the response reason code equal to the amount in
 *   whole dollars: $2.00 declines with reason 2, $8.00 says the card has expired, $252.00 is held for
 *   review, and so on; an amount that is no reason code is approved.
 * - An expiry in the past is reason 8 (expired); a number that fails Luhn is reason 6.
 *
 * A behaviour card is known by its masked form (first 6, one "*" per hidden digit, last 4), as
 * processors' test modes key on BIN, last 4 and length: the simulator never holds a full number, and
 * a reader's encrypted block, which shows only the masked tracks, is recognised the same way. Any
 * number with that masked form behaves so (`testCardNumber` makes one).
 */

/** Visa test card whose amount (in whole dollars) picks the response reason code. */
export const REASON_CODE_MASK = "422222***2222";

/** Simulator only: charges, then answers after the simulator's hang time (longer than a kiosk waits). */
export const HANGING_MASK = "400000******0259";
/** Simulator only: charges, then answers after the simulator's slow time. */
export const SLOW_MASK = "400000******0341";

/**
 * Simulator only: cards that answer with one reason code whatever the amount, for the laptop's DEV
 * panel and the browser tests, where the amount is the client's. 400000******9995 is an issuer's
 * "insufficient funds", which Authorize.Net reports as a general decline (reason 2).
 */
export const SIMULATOR_DECLINE_MASKS: Readonly<Record<string, number>> = {
  "400000******0002": 2,
  "400000******9995": 2,
  "400000******0036": 3,
  "400000******0069": 8,
  "400000******0127": 6,
  // "An error occurred during processing. Please try again": nothing charged.
  "400000******0119": 19,
};

export interface ReasonCode {
  /** transactionResponse.responseCode: 1 approved, 2 declined, 3 error, 4 held for review. */
  readonly responseCode: "1" | "2" | "3" | "4";
  readonly text: string;
}

const declined = (text = "This transaction has been declined."): ReasonCode => ({ responseCode: "2", text });
const error = (text: string): ReasonCode => ({ responseCode: "3", text });
const held = (text: string): ReasonCode => ({ responseCode: "4", text });

/** The response reason codes the simulator gives, with Authorize.Net's response code and text for each. */
export const REASON_CODES: Readonly<Record<number, ReasonCode>> = {
  1: { responseCode: "1", text: "This transaction has been approved." },
  2: declined(),
  3: declined(),
  4: declined(),
  5: error("A valid amount is required."),
  6: error("The credit card number is invalid."),
  7: error("Credit card expiration date is invalid."),
  8: error("The credit card has expired."),
  11: error("A duplicate transaction has been submitted."),
  13: error("The merchant login ID or password is invalid or the account is inactive."),
  16: error("The transaction cannot be found."),
  19: error("An error occurred during processing.  Please try again."),
  27: declined("The transaction has been declined because of an AVS mismatch."),
  33: error("%s cannot be left blank."),
  37: error("The credit card number is invalid."),
  39: error(
    "The supplied currency code is either invalid, not supported, not allowed for this merchant or doesnt have an exchange rate.",
  ),
  44: declined(),
  45: declined(),
  54: error("The referenced transaction does not meet the criteria for issuing a credit."),
  55: error("The sum of credits against the referenced transaction would exceed original debit amount."),
  57: error("An error occurred during processing.  Please try again."),
  65: declined(),
  87: error("Transactions of this market type cannot be processed on this system."),
  193: held("The transaction is currently under review."),
  250: declined(),
  251: declined(),
  252: held("Your order has been received. Thank you for your business!"),
  253: held("Your order has been received. Thank you for your business!"),
  254: declined(),
  310: { responseCode: "1", text: "This transaction has already been voided." },
  311: { responseCode: "1", text: "This transaction has already been captured." },
  315: error("The credit card number is invalid."),
  316: error("Credit card expiration date is invalid."),
  317: error("The credit card has expired."),
};

/** What the sandbox does with this card at this amount: approve, or answer with a reason code. */
export type CardOutcome =
  | { readonly kind: "approve"; readonly answer: "now" | "slow" | "hang" }
  | { readonly kind: "reason"; readonly code: number };

/** Which of the sandbox's behaviour cards a card is, by its masked form, if any. */
export function sandboxCardOf(masked: string): SandboxCard | null {
  if (masked === REASON_CODE_MASK) return "reason-code";
  const reason = Object.hasOwn(SIMULATOR_DECLINE_MASKS, masked) ? SIMULATOR_DECLINE_MASKS[masked] : undefined;
  if (reason !== undefined) return { reason };
  if (masked === HANGING_MASK) return "hang";
  if (masked === SLOW_MASK) return "slow";
  return null;
}

export function outcomeFor(card: SandboxCard | null, amountMinor: number): CardOutcome {
  if (typeof card === "object" && card !== null) return { kind: "reason", code: card.reason };
  if (card === "reason-code" && amountMinor % 100 === 0) {
    const code = amountMinor / 100;
    if (code !== 1 && REASON_CODES[code]) return { kind: "reason", code };
  }
  if (card === "hang") return { kind: "approve", answer: "hang" };
  if (card === "slow") return { kind: "approve", answer: "slow" };
  return { kind: "approve", answer: "now" };
}

/** The card brand the API names in `accountType`, from the number's prefix. */
export function accountTypeOf(bin: string): string {
  if (bin.startsWith("4")) return "Visa";
  if (/^(5[1-5]|2[2-7])/.test(bin)) return "MasterCard";
  if (/^3[47]/.test(bin)) return "AmericanExpress";
  if (/^(6011|65)/.test(bin)) return "Discover";
  if (/^35/.test(bin) || bin.startsWith("3088")) return "JCB";
  if (/^3(0|6|8)/.test(bin)) return "DinersClub";
  return "Visa";
}
