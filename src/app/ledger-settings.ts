import type { LedgerSettings } from "../checkout/ledger.js";
import type { KioskConfig } from "../config/schema.js";
import { processorIntegration } from "../processors/config.js";

export function ledgerSettings(config: KioskConfig): LedgerSettings {
  return {
    deviceId: config.deviceId,
    timeZone: config.studio.timeZone,
    methods: config.paymentMethods,
    limits: config.limits,
    processorKind: processorIntegration(config.processor),
  };
}
