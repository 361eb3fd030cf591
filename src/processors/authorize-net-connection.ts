import { readFileSync } from "node:fs";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import type { Logger } from "../core/logger.js";
import type { CardProcessor } from "../payments/card-processor.js";
import { connectAuthorizeNet } from "./authorize-net/connect-authorize-net.js";
import type { CollectionPolicy, OfflinePolicy, ProcessorConfig } from "./config.js";

/** Authorize.Net's API and hosted form, production and sandbox. */
export const AUTHORIZE_NET_ENDPOINTS = {
  production: {
    endpoint: "https://api2.authorize.net/xml/v1/request.api",
    hostedFormUrl: "https://accept.authorize.net/customer/addPayment",
  },
  sandbox: {
    endpoint: "https://apitest.authorize.net/xml/v1/request.api",
    hostedFormUrl: "https://test.authorize.net/customer/addPayment",
  },
} as const;

/** A processor the configuration names, with the policies that go with it. */
export interface ProcessorConnection {
  readonly processor: CardProcessor;
  readonly offline: OfflinePolicy;
  readonly collection: CollectionPolicy;
  /** Refunds above this (minor units) are made by central, which the kiosk asks (card-service.ts). */
  readonly refundLimitMinor: number;
  /** Closes what was started for it (the built-in simulator). */
  close(): Promise<void>;
}

/** Reads one of the kiosk's secrets by name (the app reads them from its secret store). */
export type SecretReader = (name: string) => string;

/**
 * The Authorize.Net processor the configuration names, or — for "authorize-net-simulator", the
 * laptop setup — the Authorize.Net simulator started on loopback over TLS, reached through the very
 * same processor. Null for any other kind.
 */
export async function connectAuthorizeNetProcessor(
  config: ProcessorConfig,
  logger: Logger,
  readSecret: SecretReader | undefined,
): Promise<ProcessorConnection | null> {
  switch (config.kind) {
    case "authorize-net": {
      let transactionKey: string;
      try {
        if (!readSecret) {
          throw new KioskError(
            ErrorCodes.CONFIG_SECRET_MISSING,
            "The kiosk has no secret store to read the transaction key from.",
          );
        }
        transactionKey = readSecret(config.transactionKeySecret);
      } catch (error) {
        // Without its key the kiosk still runs (cash, checks, and central, which delivers the key).
        const reason = error as KioskError;
        logger.error(
          `[${reason.code}] Authorize.Net is not usable until the kiosk has its transaction key: ${reason.message}`,
          { code: reason.code },
        );
        return { processor: keylessProcessor(reason), ...policies(config), close: async () => {} };
      }
      const processor = await connectAuthorizeNet({
        endpoint: config.endpoint ?? AUTHORIZE_NET_ENDPOINTS[config.environment].endpoint,
        hostedFormUrl: config.hostedFormUrl ?? AUTHORIZE_NET_ENDPOINTS[config.environment].hostedFormUrl,
        apiLoginId: config.apiLoginId,
        transactionKey,
        ca: config.caFile ? readFileSync(config.caFile, "utf8") : null,
        timeoutMs: config.timeoutMs,
        deviceType: config.deviceType,
        duplicateWindowSeconds: config.duplicateWindowSeconds,
        currency: config.currency,
        logger: logger.child("authorize-net"),
      });
      return { processor, ...policies(config), close: async () => {} };
    }
    case "authorize-net-simulator": {
      // Loaded only here: a real kiosk never carries the simulator's code in memory.
      const { startAuthorizeNetSimulator } = await import(
        "./authorize-net-simulator/authorize-net-simulator.js"
      );
      // The screen's browser does not trust the simulator's certificate: its hosted form is plain HTTP.
      const simulator = await startAuthorizeNetSimulator({ hostedForm: "http" });
      logger.warn(
        `card processor: the built-in Authorize.Net simulator at ${simulator.endpoint} (sandbox test cards; no money moves)`,
      );
      const processor = await connectAuthorizeNet({
        endpoint: simulator.endpoint,
        hostedFormUrl: simulator.hostedFormUrl,
        apiLoginId: simulator.apiLoginId,
        transactionKey: simulator.transactionKey,
        ca: simulator.ca,
        timeoutMs: config.timeoutMs,
        deviceType: config.deviceType,
        duplicateWindowSeconds: 28_800,
        currency: "USD",
        logger: logger.child("authorize-net"),
      });
      return { processor, ...policies(config), close: () => simulator.close() };
    }
    default:
      return null;
  }
}

const policies = (config: {
  offline: OfflinePolicy;
  collection: CollectionPolicy;
  refundLimitMinor: number;
}) => ({
  offline: config.offline,
  collection: config.collection,
  refundLimitMinor: config.refundLimitMinor,
});

/**
 * The processor of a kiosk that has no Authorize.Net key yet (or one others could read): it charges
 * nothing and says so as "unavailable" (so the offline policy may store encrypted swipes), and it
 * cannot look anything up, so no open intent is taken for "never made".
 */
function keylessProcessor(reason: KioskError): CardProcessor {
  const unavailable = async (): Promise<never> => {
    throw new KioskError(
      ErrorCodes.PROCESSOR_UNAVAILABLE,
      `Card payments are off until the kiosk has its Authorize.Net key (${reason.code}). Nothing was charged.`,
      { cause: reason.code },
    );
  };
  return {
    kind: "gateway",
    sale: unavailable,
    void: unavailable,
    refund: unavailable,
    lookup: unavailable,
    lookupRefund: unavailable,
    saveCard: unavailable,
    chargeSavedCard: unavailable,
    startHostedEntry: unavailable,
    hostedEntryStatus: unavailable,
    cancelHostedEntry: unavailable,
    reachable: async () => false,
  };
}
