import { createHmac, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import type Stripe from "stripe";

export interface WebhookEndpoint {
  readonly url: string;
  /** The endpoint's signing secret, `whsec_…`. */
  readonly secret: string;
  /** Event types sent there; `*` for all. */
  readonly enabledEvents: readonly string[];
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

/**
 * The `Stripe-Signature` header exactly as Stripe makes it: `t=` the timestamp, `v1=` the hex
 * HMAC-SHA256 of `{t}.{payload}` under the endpoint's secret.
 */
export function signatureHeader(payload: string, secret: string, timestamp: number): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

const RETRY_DELAYS_MS = [250, 1_000, 4_000, 15_000];

/**
 * Sends events to the webhook endpoints, signed, each POSTed as JSON until the endpoint answers
 * 2xx, with retries (Stripe retries for days; the simulator a few times within a minute).
 */
/** A delivery an endpoint took (answered 2xx), with when, for tests that time what follows. */
export interface Delivery {
  readonly url: string;
  readonly event: Stripe.Event;
  readonly atMs: number;
}

export class WebhookSender {
  readonly #endpoints: WebhookEndpoint[] = [];
  readonly delivered: Delivery[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(private readonly now: () => number) {}

  add(endpoint: WebhookEndpoint): void {
    this.#endpoints.push(endpoint);
  }

  send(event: Stripe.Event): void {
    for (const endpoint of this.#endpoints) {
      if (!endpoint.enabledEvents.includes("*") && !endpoint.enabledEvents.includes(event.type)) continue;
      this.#deliver(endpoint, event, JSON.stringify(event, null, 2), 0);
    }
  }

  #deliver(endpoint: WebhookEndpoint, event: Stripe.Event, payload: string, attempt: number): void {
    if (this.#closed) return;
    const header = signatureHeader(payload, endpoint.secret, this.now());
    const retry = (): void => {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined || this.#closed) return;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#deliver(endpoint, event, payload, attempt + 1);
      }, delay);
      timer.unref();
      this.#timers.add(timer);
    };
    const url = new URL(endpoint.url);
    const outgoing = httpRequest(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": header,
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
        timeout: 10_000,
      },
      (response) => {
        response.resume();
        if ((response.statusCode ?? 500) >= 300) retry();
        else this.delivered.push({ url: endpoint.url, event, atMs: Date.now() });
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error("webhook timed out")));
    outgoing.on("error", retry);
    outgoing.end(payload);
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
