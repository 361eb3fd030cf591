import type { KioskConfig } from "../../config/schema.js";
import { DEFAULT_CARD_PREFIXES } from "../../payments/card/card-brand.js";
import { processorIntegration } from "../../processors/config.js";
import type { StaffSetup } from "../../ui/flows/staff/index.js";
import { hasSmartReader, keepsCards, keepsKeyedCards } from "./self-service-settings.js";

/** What the staff flow needs from the configuration: enabled methods, card types, sign-in rules. */
export function staffSetup(config: KioskConfig): StaffSetup {
  const methods = config.paymentMethods.filter((method) => method.enabled);
  const prefixes = methods.flatMap((method) => (method.type === "card" ? method.cardPrefixes : []));
  const cardTypes = [
    ...new Set((prefixes.length > 0 ? prefixes : DEFAULT_CARD_PREFIXES).map((rule) => rule.cardType)),
  ];
  return {
    currency: config.studio.currency,
    methods: methods.map((method) => ({
      id: method.id,
      name: method.name,
      type: method.type,
      cardEntryModes: method.cardEntryModes,
      opensCashDrawer: method.opensCashDrawer,
    })),
    cardTypes,
    processorKind: processorIntegration(config.processor),
    smartReader: hasSmartReader(config),
    payByPhone: config.processor.kind === "stripe",
    saveCards: keepsCards(config),
    saveKeyedCards: keepsKeyedCards(config),
    signIn: config.ui.signIn,
    printer: config.drivers.printer.mode !== "none",
    // Central sends emailed receipts; a kiosk that does not sync with central cannot ask it to.
    emailReceipts: config.sync.enabled,
  };
}
