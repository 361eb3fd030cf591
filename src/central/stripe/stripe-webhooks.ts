import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { ErrorCodes } from "../../core/error-codes.js";
import { newId } from "../../core/ids.js";
import type { Logger } from "../../core/logger.js";
import { encodeMessage, type Outgoing } from "../../sync/protocol/codec.js";
import type { PaymentNotice } from "../../sync/protocol/messages.js";
import { isDeviceId } from "../../sync/protocol/topics.js";
import type { CentralStripeConfig } from "../config.js";

/** Stripe's events are small; anything bigger is not one of them. */
const MAX_BODY = 512 * 1024;

export interface StripeWebhookDeps {
  readonly config: CentralStripeConfig;
  /** The endpoint's signing secret. */
  readonly secret: string;
  /** Sends a message to a kiosk; false when the broker did not take it. */
  readonly publish: (message: Outgoing) => Promise<boolean>;
  readonly logger: Logger;
}

export interface RunningStripeWebhooks {
  /** `http://host:port/path`, what Stripe's endpoint (through the proxy) points at. */
  readonly url: string;
  close(): Promise<void>;
}

/** What a verified event means for a kiosk: a payment page paid or expired, and whose it is. */
export function noticeOf(event: Stripe.Event): { deviceId: string; notice: PaymentNotice } | null {
  let status: PaymentNotice["status"];
  switch (event.type) {
    case "checkout.session.completed":
      if (event.data.object.payment_status !== "paid") return null;
      status = "paid";
      break;
    case "checkout.session.async_payment_succeeded":
      status = "paid";
      break;
    case "checkout.session.expired":
      status = "expired";
      break;
    default:
      return null;
  }
  const session = event.data.object;
  const deviceId = session.metadata?.device_id;
  if (!deviceId || !isDeviceId(deviceId)) return null;
  return { deviceId, notice: { sessionId: session.id, status } };
}

/**
 * Central's endpoint for Stripe's webhooks, on its own port: each event's `Stripe-Signature` is
 * verified with the SDK (a forged, altered or stale event is refused with 400 and changes nothing);
 * a payment page paid or expired is passed on to its kiosk over MQTT, so the kiosk looks it up at
 * Stripe now. When the broker does not take the notice, Stripe is answered 503 and sends it again.
 */
export async function startStripeWebhooks(deps: StripeWebhookDeps): Promise<RunningStripeWebhooks> {
  const { config, secret, logger } = deps;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error(`a Stripe webhook failed: ${(error as Error).message}`);
      answer(response, 500, "failed");
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? "").split("?")[0];
    if (path !== config.webhook.path) return answer(response, 404, "not found");
    if (request.method !== "POST") return answer(response, 405, "POST only");
    const body = await readBody(request);
    if (body === null) return answer(response, 413, "too large");
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(
        body,
        request.headers["stripe-signature"] ?? "",
        secret,
        config.toleranceSeconds,
      );
    } catch (error) {
      logger.warn(
        `[${ErrorCodes.CENTRAL_WEBHOOK_REFUSED}] a Stripe webhook was refused: ${(error as Error).message}`,
        {
          code: ErrorCodes.CENTRAL_WEBHOOK_REFUSED,
        },
      );
      return answer(response, 400, "signature refused");
    }
    const found = noticeOf(event);
    if (!found) return answer(response, 200, "ignored");
    const message = encodeMessage("paymentNotice", found.deviceId, found.notice, {
      messageId: newId(),
      sentAt: new Date().toISOString(),
    });
    if (!(await deps.publish(message))) {
      logger.warn(
        `payment notice for ${found.deviceId} not sent (broker away); Stripe will send the event again`,
      );
      return answer(response, 503, "broker unavailable");
    }
    logger.info(`payment page ${found.notice.sessionId} ${found.notice.status}: told ${found.deviceId}`, {
      event: event.id,
    });
    return answer(response, 200, "ok");
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.webhook.port, config.webhook.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}${config.webhook.path}`;
  logger.info(`Stripe webhooks at ${url}`);
  return { url, close: () => closeServer(server) };
}

function answer(response: ServerResponse, status: number, text: string): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
