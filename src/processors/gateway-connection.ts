import type { Logger } from "../core/logger.js";
import type { CollectionPolicy, OfflinePolicy, ProcessorConfig } from "./config.js";

/** Where the gateway client sends card work, with the policies that go with it. */
export interface GatewayConnection {
  readonly url: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly offline: OfflinePolicy;
  readonly collection: CollectionPolicy;
  /** Closes what was started for it (the built-in simulator); nothing for a real gateway. */
  close(): Promise<void>;
}

/**
 * The gateway the configuration names, or — for "simulator", the laptop setup — the gateway
 * simulator started on loopback, reached through the very same client. Null for manual entry.
 */
export async function connectGateway(
  config: ProcessorConfig,
  logger: Logger,
): Promise<GatewayConnection | null> {
  switch (config.kind) {
    case "manual":
    case "authorize-net":
    case "authorize-net-simulator":
    case "stripe": // connected by connectStripe (stripe-connection.ts)
      return null;
    case "gateway":
      return { ...config, close: async () => {} };
    case "simulator": {
      // Loaded only here: a real kiosk never carries the simulator's code in memory.
      const { startGatewaySimulator } = await import("./gateway-simulator/gateway-simulator.js");
      const simulator = await startGatewaySimulator();
      logger.warn(
        `card processor: the built-in gateway simulator at ${simulator.url} (test cards; no money moves)`,
      );
      return {
        url: simulator.url,
        apiKey: simulator.apiKey,
        timeoutMs: config.timeoutMs,
        offline: config.offline,
        collection: config.collection,
        close: () => simulator.close(),
      };
    }
  }
}
