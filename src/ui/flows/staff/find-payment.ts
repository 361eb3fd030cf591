import { go, stay, type Transition } from "../transition.js";
import type { StaffEffect, StaffEvent } from "./events.js";
import { receiptStep } from "./receipts.js";
import type { StaffState } from "./state.js";

type Result = Transition<StaffState, StaffEffect>;
type FindPayment = Extract<StaffState, { step: "find-payment" }>;

/** The most characters typed to find a payment (checkout bounds it again). */
export const FIND_TEXT_MAX = 40;

/**
 * "Find a payment": part of an invoice number or a client's name typed on the keyboard, then Find;
 * the kiosk's records that match, newest first, each with the receipts list's actions (print again,
 * email). `home` is where Back goes.
 */
export function findPaymentStep(state: FindPayment, event: StaffEvent, home: () => Result): Result {
  const receipt = receiptStep(state, event);
  if (receipt) return receipt;
  switch (event.type) {
    case "payments-found":
      if (!state.searching) return stay(state);
      return go({ ...state, searching: false, records: event.records, error: null });
    case "effect-failed":
      return go({ ...state, searching: false, error: event.error });
    case "touch":
      return touched(state, event.action, event.value, home);
    default:
      return stay(state);
  }
}

function touched(state: FindPayment, action: string, value: string | undefined, home: () => Result): Result {
  if (state.searching) return stay(state);
  switch (action) {
    case "key":
      if (value?.length !== 1 || state.text.length >= FIND_TEXT_MAX) return stay(state);
      if (value === " " && (state.text === "" || state.text.endsWith(" "))) return stay(state);
      return go({ ...state, text: state.text + value, error: null });
    case "backspace":
      return go({ ...state, text: state.text.slice(0, -1), error: null });
    case "edit":
      // Back to the keyboard, to change what was typed.
      return go({ ...state, records: null, error: null });
    case "find": {
      const text = state.text.trim();
      if (text === "") return stay(state);
      return go({ ...state, searching: true, error: null }, { type: "find-payments", text });
    }
    case "home":
      return home();
    default:
      return stay(state);
  }
}
