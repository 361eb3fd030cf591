import type { KioskConfig } from "../../config/schema.js";
import { processorIntegration } from "../../processors/config.js";
import type { MethodChoice } from "../../ui/flows/self-service/screens.js";
import type { SelfServiceSettings } from "../../ui/flows/self-service/state.js";

const THANK_YOU_MS = 8_000;

/**
 * What the client may choose: card methods open to self-service are paid here (when a processor
 * takes swiped cards); cash and check methods are listed too, and send the client to staff.
 */
export function selfServiceMethods(config: KioskConfig): MethodChoice[] {
  const swipes = processorIntegration(config.processor) === "gateway";
  return config.paymentMethods
    .filter(
      (method) =>
        (method.type === "card" && method.availability === "self-service" && swipes) ||
        method.type === "cash" ||
        method.type === "check",
    )
    .map((method) => ({ id: method.id, name: method.name, type: method.type, here: method.type === "card" }));
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
    thankYouMs: THANK_YOU_MS,
  };
}
