import type { KioskConfig } from "../../config/schema.js";
import { processorIntegration } from "../../processors/config.js";
import type { MethodChoice } from "../../ui/flows/self-service/screens.js";
import type { SelfServiceSettings } from "../../ui/flows/self-service/state.js";

const THANK_YOU_MS = 8_000;

/**
 * What the client may choose: card methods open to self-service are paid here (when a processor
 * takes swiped cards, or there is a smart reader); cash and check methods are listed too, and send
 * the client to staff.
 */
export function selfServiceMethods(config: KioskConfig): MethodChoice[] {
  // With Stripe the client pays at its smart reader; a swipe here is never sent to Stripe.
  const swipes =
    config.processor.kind === "stripe"
      ? hasSmartReader(config)
      : processorIntegration(config.processor) === "gateway";
  return config.paymentMethods
    .filter(
      (method) =>
        (method.type === "card" && method.availability === "self-service" && swipes) ||
        method.type === "cash" ||
        method.type === "check",
    )
    .map((method) => ({ id: method.id, name: method.name, type: method.type, here: method.type === "card" }));
}

/**
 * Pay on your phone (Stripe's payment pages): recorded under the first card method open to
 * self-service; null when the processor is not Stripe or no card method is open to clients.
 */
function phoneMethod(config: KioskConfig): string | null {
  if (config.processor.kind !== "stripe") return null;
  const card = config.paymentMethods.find(
    (method) => method.type === "card" && method.enabled && method.availability === "self-service",
  );
  return card?.id ?? null;
}

/** Card payments go to Stripe's smart reader at the counter. */
export function hasSmartReader(config: KioskConfig): boolean {
  return config.processor.kind === "stripe" && config.processor.readerId !== null;
}

/**
 * Whether a card paid at this kiosk can be kept for later payments (with the client's consent): on
 * Stripe's smart reader (a generated card on the client's customer) and on Authorize.Net (a customer
 * payment profile made from the sale). Other processors keep no card from a sale.
 */
export function keepsCards(config: KioskConfig): boolean {
  const kind = config.processor.kind;
  return (
    (kind === "stripe" && hasSmartReader(config)) ||
    kind === "authorize-net" ||
    kind === "authorize-net-simulator"
  );
}

/**
 * Whether a card staff key on the processor's hosted form can be kept (with the client's consent):
 * on Authorize.Net, whose form stores it as a customer profile (deleted unless kept). Stripe's keyed
 * page keeps no card.
 */
export function keepsKeyedCards(config: KioskConfig): boolean {
  return config.processor.kind === "authorize-net" || config.processor.kind === "authorize-net-simulator";
}

export function selfServiceSettings(config: KioskConfig, printerAvailable: boolean): SelfServiceSettings {
  return {
    studioName: config.studio.name,
    currency: config.studio.currency,
    allowPartial: config.limits.selfService.allowPartial,
    minPartialMinor: config.limits.selfService.minPartialMinor,
    maxAmountMinor: config.limits.maxAmountMinor,
    methods: selfServiceMethods(config),
    printerAvailable,
    // Central sends emailed receipts: a kiosk that does not sync with it cannot ask.
    emailReceipts: config.sync.enabled,
    thankYouMs: THANK_YOU_MS,
    smartReader: hasSmartReader(config),
    phoneMethodId: phoneMethod(config),
    saveCards: keepsCards(config),
  };
}
