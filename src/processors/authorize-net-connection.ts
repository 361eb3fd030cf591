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
  /** Refunds above this (minor units) are refused at the kiosk: a manager issues them from central. */
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
      if (!readSecret) {
        throw new KioskError(
          ErrorCodes.CONFIG_SECRET_MISSING,
          "The kiosk has no secret store to read the transaction key from.",
        );
      }
      const processor = await connectAuthorizeNet({
        endpoint: config.endpoint ?? AUTHORIZE_NET_ENDPOINTS[config.environment].endpoint,
        hostedFormUrl: config.hostedFormUrl ?? AUTHORIZE_NET_ENDPOINTS[config.environment].hostedFormUrl,
        apiLoginId: config.apiLoginId,
        transactionKey: readSecret(config.transactionKeySecret),
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
