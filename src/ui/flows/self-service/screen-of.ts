import type { MoneyView } from "../money-view.js";
import { collecting } from "./reducer.js";
import type { SelfServiceScreen } from "./screens.js";
import type { SelfServiceSettings, SelfServiceState } from "./state.js";

/** The screen for a state: plain JSON, money in minor units, nothing the step does not show. */
export function selfServiceScreen(settings: SelfServiceSettings, state: SelfServiceState): SelfServiceScreen {
  const inCurrency = (minor: number, currency = settings.currency): MoneyView => ({ minor, currency });
  switch (state.step) {
    case "attract":
      return { name: "self.attract", studioName: settings.studioName };
    case "find":
      return {
        name: "self.find",
        invoiceNumber: state.invoiceNumber,
        lastName: state.lastName,
        field: state.field,
        searching: state.searching,
        problem: state.problem,
      };
    case "summary":
      return { name: "self.summary", invoice: state.invoice, payByPhone: settings.phoneMethodId !== null };
    case "phone":
      return {
        name: "self.phone",
        invoiceNumber: state.invoice.number,
        amount: inCurrency(state.amountMinor, state.invoice.total.currency),
        phase: state.phase,
        link: state.link,
        problem: state.problem,
      };
    case "amount": {
      const currency = state.invoice.total.currency;
      return {
        name: "self.amount",
        invoiceNumber: state.invoice.number,
        payable: state.invoice.payable,
        entered: inCurrency(state.enteredMinor, currency),
        minimum: inCurrency(Math.min(settings.minPartialMinor, state.invoice.payable.minor), currency),
        problem: state.problem,
      };
    }
    case "method":
      return {
        name: "self.method",
        invoiceNumber: state.invoice.number,
        amount: inCurrency(state.amountMinor, state.invoice.total.currency),
        methods: settings.methods,
        saveCard: settings.saveCards ? state.saveCard : null,
      };
    case "see-staff":
      return {
        name: "self.see-staff",
        invoiceNumber: state.invoice.number,
        amount: inCurrency(state.amountMinor, state.invoice.total.currency),
        methodName: state.methodName,
      };
    case "swipe":
      return {
        name: "self.swipe",
        invoiceNumber: state.invoice.number,
        amount: inCurrency(state.amountMinor, state.invoice.total.currency),
        via: state.via,
        phase: state.phase,
        problem: state.problem,
        saveCard: state.saveCard,
      };
    case "receipt":
      return {
        name: "self.receipt",
        invoiceNumber: state.invoice.number,
        amount: inCurrency(state.amountMinor, state.invoice.total.currency),
        card: state.card,
        printing: state.printing,
        printFailed: state.printFailed,
        printerAvailable: settings.printerAvailable,
        emailReceipts: settings.emailReceipts === true,
        email: state.email,
      };
    case "thank-you":
      return {
        name: "self.thank-you",
        amount: inCurrency(state.amountMinor, state.currency),
        balanceRemaining: inCurrency(state.balanceRemainingMinor, state.currency),
        receiptPrinted: state.receiptPrinted,
      };
  }
}

/** Screens a client is not expected to touch for a while: no idle countdown there. */
export function selfServiceIdleExempt(state: SelfServiceState): boolean {
  // A collection on the smart reader ends by itself (the client pays, cancels, or it times out).
  return (
    state.step === "attract" ||
    (state.step === "swipe" && (state.phase === "processing" || collecting(state)))
  );
}
