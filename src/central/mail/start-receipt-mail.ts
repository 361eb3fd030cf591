import { newId } from "../../core/ids.js";
import type { Logger } from "../../core/logger.js";
import type { BrokerEndpoint } from "../../sync/mqtt/mqtt-connection.js";
import type { CentralConfig } from "../config.js";
import { createMailer, type Mailer } from "./mailer.js";
import { ReceiptMailWorker } from "./receipt-mail-worker.js";

/**
 * Central's emailed receipts: always listening, so a kiosk gets an answer. Without a mail section,
 * or with one that cannot be used (an unreadable password file), every request is refused with
 * MAIL_NOT_CONFIGURED and the reason is logged once here.
 */
export function startReceiptMail(
  config: CentralConfig,
  endpoint: BrokerEndpoint,
  logger: Logger,
): { stop(): Promise<void> } {
  const log = logger.child("receipt-mail");
  let mailer: Mailer | null = null;
  if (config.mail) {
    try {
      mailer = createMailer(config.mail, log);
    } catch (error) {
      const code = (error as { code?: unknown }).code ?? "INTERNAL";
      log.error(`the mail server is not usable, no receipt will be emailed: ${(error as Error).message}`, {
        code: String(code),
      });
    }
  }
  const worker = new ReceiptMailWorker({
    mailer,
    perKioskPerHour: config.mail?.receiptsPerKioskPerHour ?? 1,
    endpoint,
    shareGroup: config.broker.mode === "embedded" ? null : "receipt-mail",
    backoff: config.ingest.reconnect,
    logger: log,
    newId,
    now: () => new Date(),
  });
  worker.start();
  return { stop: () => worker.stop() };
}
