import { createServer, type Server } from "node:net";
import { Aedes } from "aedes";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";

export interface EmbeddedBroker {
  /** mqtt://host:port, with the port actually bound (0 in the configuration picks a free one). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * An aedes broker inside this process, for the laptop setup only (config: sync.broker.mode
 * "embedded"). MQTT 3.1.1, no accounts, in-memory retained messages; a real deployment runs
 * Mosquitto with per-device accounts (config/mosquitto/).
 */
export async function startEmbeddedBroker(options: {
  host: string;
  port: number;
  logger: Logger;
}): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker({ heartbeatInterval: 60_000, drainTimeout: 10_000 });
  aedes.on("clientError", (client, error) => {
    options.logger.debug(() => `client ${client.id}: ${error.message}`);
  });
  const server: Server = createServer(aedes.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw new KioskError(
      ErrorCodes.SYNC_BROKER_START_FAILED,
      `The embedded MQTT broker cannot listen on ${options.host}:${options.port} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): free the port or change sync.broker.port.`,
      { host: options.host, port: options.port },
      { cause: error },
    );
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  options.logger.info(`embedded MQTT broker listening on ${options.host}:${port}`);
  return {
    url: `mqtt://${options.host}:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
