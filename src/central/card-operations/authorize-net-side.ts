import type { Logger } from "../../core/logger.js";
import { readOwnerOnlySecret } from "../../core/secret-file.js";
import type { CardProcessor } from "../../payments/card-processor.js";
import type { centralEndpoint } from "../../sync/mqtt/endpoint.js";
import type { CentralAuthorizeNetConfig, CentralConfig } from "../config.js";
import type { CentralDb } from "../db/central-db.js";

/**
 * Makes the Authorize.Net processor central refunds with (the app gives it: central does not load
 * processors itself), from central's section and the transaction key read from its owner-only file.
 */
export type AuthorizeNetConnector = (
  config: CentralAuthorizeNetConfig,
  transactionKey: string,
  logger: Logger,
) => Promise<CardProcessor>;

/**
 * The refunds above a kiosk's limit, made with the transaction key central holds. One that cannot
 * start is logged: central runs on, and the kiosks' large refunds are refused as unreachable.
 */
export async function startAuthorizeNetSide(
  config: CentralConfig,
  connect: AuthorizeNetConnector | undefined,
  endpoint: ReturnType<typeof centralEndpoint>,
  logger: Logger,
  db: CentralDb,
): Promise<{ stop(): Promise<void> } | null> {
  const section = config.authorizeNet;
  if (!section) return null;
  try {
    if (!connect) throw new Error("this process cannot connect to Authorize.Net");
    const [{ authorizeNetOperations }, { CardOperationsWorker }, { newId }] = await Promise.all([
      import("./authorize-net-operations.js"),
      import("./card-operations-worker.js"),
      import("../../core/ids.js"),
    ]);
    const key = readOwnerOnlySecret(
      section.transactionKeyFile,
      /^[A-Za-z0-9]{16}$/,
      "the studio's Authorize.Net transaction key (16 letters and digits)",
    );
    const processor = await connect(section, key, logger.child("authorize-net"));
    const worker = new CardOperationsWorker({
      db,
      processor: authorizeNetOperations(processor, section.currency),
      endpoint,
      shareGroup: config.broker.mode === "embedded" ? null : "card-operations",
      backoff: config.ingest.reconnect,
      logger: logger.child("card-operations"),
      newId,
      now: () => new Date(),
    });
    worker.start();
    return { stop: () => worker.stop() };
  } catch (error) {
    const code = (error as { code?: unknown }).code ?? "INTERNAL";
    logger.error(`Authorize.Net refunds through central did not start: ${(error as Error).message}`, {
      code: String(code),
    });
    return null;
  }
}
