import type { KeyObject } from "node:crypto";
import { passesLuhn } from "../../payments/card/luhn.js";
import type { WireSource } from "../gateway/api.js";
import { unsealCard } from "../gateway/sealed-card.js";
import { behaviourOf, behaviourOfMasked, type CardBehaviour } from "./fixtures/test-cards.js";
import type { SimCard, SimulatorLedger, StoredCard } from "./simulator-ledger.js";

export type Resolved =
  | { ok: true; card: StoredCard }
  | { ok: false; status: number; code: string; message: string };

const invalid = (message: string): Resolved => ({ ok: false, status: 402, code: "invalid_card", message });

function expired(card: SimCard, now: Date): boolean {
  if (!card.exp_month || !card.exp_year) return false;
  return card.exp_year * 12 + card.exp_month < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
}

/** Turns a request's card source into the card the simulator will charge, or a decline. */
export function resolveCard(
  source: WireSource,
  privateKey: KeyObject,
  ledger: SimulatorLedger,
  now: Date,
): Resolved {
  let stored: StoredCard;
  switch (source.type) {
    case "sealed_card": {
      let number: string;
      let card: SimCard;
      try {
        const secret = unsealCard(source.sealed, privateKey);
        number = secret.number;
        card = {
          brand: null,
          bin: number.slice(0, 6),
          last4: number.slice(-4),
          exp_month: secret.expMonth,
          exp_year: secret.expYear,
        };
      } catch {
        return {
          ok: false,
          status: 400,
          code: "sealed_card_invalid",
          message: "The sealed card could not be opened.",
        };
      }
      if (!passesLuhn(number)) return invalid("The card number is not valid.");
      const behaviour: CardBehaviour = behaviourOf(number);
      stored = { card: { ...card, brand: "brand" in behaviour ? behaviour.brand : null }, behaviour };
      break;
    }
    case "encrypted_track": {
      const behaviour = behaviourOfMasked(source.masked_pan);
      stored = {
        card: {
          brand: "brand" in behaviour ? behaviour.brand : null,
          bin: source.masked_pan.slice(0, 6),
          last4: source.masked_pan.slice(-4),
          exp_month: source.exp_month,
          exp_year: source.exp_year,
        },
        behaviour,
      };
      break;
    }
    case "token": {
      const found = ledger.tokens.get(source.token);
      if (!found) return { ok: false, status: 400, code: "token_unknown", message: "No such card token." };
      stored = found;
      break;
    }
    case "hosted_session": {
      const session = ledger.sessions.get(source.session_id);
      const found = session?.token ? ledger.tokens.get(session.token) : undefined;
      if (session?.status !== "completed" || !found) {
        return {
          ok: false,
          status: 400,
          code: "session_not_completed",
          message: "The card has not been entered yet.",
        };
      }
      stored = found;
      break;
    }
  }
  if (expired(stored.card, now))
    return { ok: false, status: 402, code: "expired_card", message: "The card has expired." };
  return { ok: true, card: stored };
}
