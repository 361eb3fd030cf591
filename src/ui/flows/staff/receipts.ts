import { emailAnswered, emailTouch, newEmailEntry } from "../receipt-email.js";
import { go, stay, type Transition } from "../transition.js";
import type { StaffEffect, StaffEvent } from "./events.js";
import type { ReceiptPrint, StaffState } from "./state.js";

type Result = Transition<StaffState, StaffEffect>;
type WithReceipt = Extract<StaffState, { step: "saved" | "receipts" | "find-payment" }>;

/** A receipt sent to the printer: the state that shows it printing, and the effect that prints it. */
export function printing(recordId: string, reprint: boolean): { receipt: ReceiptPrint; effect: StaffEffect } {
  return {
    receipt: { recordId, state: "printing", error: null },
    effect: { type: "print-receipt", recordId, reprint },
  };
}

/** The printer's answer, when it is about the receipt on the screen. */
export function printAnswered(receipt: ReceiptPrint | null, event: StaffEvent): ReceiptPrint | null {
  if (receipt === null) return null;
  if (event.type === "receipt-printed" && event.recordId === receipt.recordId)
    return { ...receipt, state: "printed", error: null };
  if (event.type === "receipt-not-printed" && event.recordId === receipt.recordId)
    return { ...receipt, state: "failed", error: event.error };
  return receipt;
}

/**
 * What the saved screen, the receipts list and "Find a payment" share: the printer's answers, "print again", and the
 * email keyboard (open over the screen; its keys go to the address). null: not a receipt event.
 */
export function receiptStep(state: WithReceipt, event: StaffEvent): Result | null {
  switch (event.type) {
    case "receipt-printed":
    case "receipt-not-printed":
      return go({ ...state, receipt: printAnswered(state.receipt, event) });
    case "receipt-emailed":
      if (!state.email?.sending || state.email.recordId !== event.recordId) return stay(state);
      return go({ ...state, email: emailAnswered(state.email, event.error) });
    case "touch":
      break;
    default:
      return null;
  }
  if (state.email) {
    const touched = emailTouch(state.email, event.action, event.value);
    switch (touched.kind) {
      case "ignored":
        return stay(state);
      case "entry":
        return go({ ...state, email: touched.entry });
      case "send":
        return go(
          { ...state, email: touched.entry },
          { type: "email-receipt", recordId: touched.entry.recordId, address: touched.address },
        );
    }
  }
  const recordId = event.value;
  if (event.action === "email" && state.setup.emailReceipts && recordId && known(state, recordId))
    return go({ ...state, email: newEmailEntry(recordId) });
  if (event.action === "reprint" && state.setup.printer && recordId && known(state, recordId)) {
    if (state.receipt?.state === "printing") return stay(state);
    const { receipt, effect } = printing(recordId, true);
    return go({ ...state, receipt }, effect);
  }
  return null;
}

/** Only a record on the screen can be printed or emailed from it. */
function known(state: WithReceipt, recordId: string): boolean {
  return state.step === "saved"
    ? state.saved.recordId === recordId
    : (state.records?.some((record) => record.id === recordId) ?? false);
}
