import Stripe from "stripe";

/** Where the SDK sends requests: api.stripe.com unless a simulator (or a proxy) stands in for it. */
export interface StripeEndpoint {
  readonly host: string;
  readonly port: number;
  readonly protocol: "http" | "https";
}

export interface StripeClientOptions {
  readonly apiKey: string;
  readonly endpoint?: StripeEndpoint | null;
  readonly timeoutMs: number;
  /** The SDK's own retries, each with the same idempotency key (safe for every call we make). */
  readonly maxNetworkRetries?: number;
  /** For tests: an HTTP client of the SDK's interface (one that loses answers, say). */
  readonly httpClient?: Stripe.HttpClient;
}

/** The official SDK, on Node's own http (not fetch, which loads undici and its WebAssembly). */
export function stripeClient(options: StripeClientOptions): Stripe {
  return new Stripe(options.apiKey, {
    timeout: options.timeoutMs,
    maxNetworkRetries: options.maxNetworkRetries ?? 1,
    httpClient: options.httpClient ?? Stripe.createNodeHttpClient(),
    telemetry: false,
    appInfo: { name: "spectra-kiosk" },
    ...(options.endpoint ?? {}),
  });
}
