import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { CardProcessor } from "../../payments/card-processor.js";

const notIntegrated = (): never => {
  throw new KioskError(
    ErrorCodes.PROCESSOR_NOT_INTEGRATED,
    "No card processor is set up: take the card on your own terminal and enter its authorization code.",
  );
};

/**
 * Spectra's manual mode: there is no integrated processor. Staff run the card on their own terminal
 * and type the authorization code, which the payment rules check; nothing here moves money.
 */
export function manualProcessor(): CardProcessor {
  return {
    kind: "manual",
    sale: async () => notIntegrated(),
    void: async () => notIntegrated(),
    refund: async () => notIntegrated(),
    lookup: async () => null,
    lookupRefund: async () => null,
    saveCard: async () => notIntegrated(),
    chargeSavedCard: async () => notIntegrated(),
    startHostedEntry: async () => notIntegrated(),
    hostedEntryStatus: async () => notIntegrated(),
    cancelHostedEntry: async () => notIntegrated(),
    reachable: async () => false,
  };
}
