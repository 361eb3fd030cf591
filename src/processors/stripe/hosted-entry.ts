import type Stripe from "stripe";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { HostedEntry, HostedEntryPurpose, HostedEntryStatus } from "../../payments/card-processor.js";
import type { Money } from "../../payments/money.js";
import { savedCardOf } from "./charge-of.js";

/** Stripe's shortest Checkout Session life is 30 minutes; a keyed entry gets a little more. */
const SESSION_SECONDS = 31 * 60;

/**
 * Keyed card entry on Stripe's own page: a Checkout Session in setup mode collects the card (the
 * kiosk never sees its number), which is then charged or saved like any card Stripe holds.
 */
export class StripeHostedEntry {
  /** Sessions the kiosk closed itself: Stripe says "expired" for those too. */
  readonly #cancelled = new Set<string>();

  constructor(
    private readonly stripe: Stripe,
    private readonly currency: string,
  ) {}

  async start(purpose: HostedEntryPurpose, amount: Money | null): Promise<HostedEntry> {
    const session = await this.stripe.checkout.sessions.create({
      mode: "setup",
      currency: (amount?.currency ?? this.currency).toLowerCase(),
      expires_at: Math.floor(Date.now() / 1000) + SESSION_SECONDS,
      metadata: { spectra_purpose: purpose },
    });
    if (!session.url)
      throw new KioskError(ErrorCodes.PROCESSOR_REJECTED_REQUEST, "Stripe gave no page for keyed entry.");
    return { sessionId: session.id, url: session.url };
  }

  async status(sessionId: string): Promise<HostedEntryStatus> {
    const session = await this.stripe.checkout.sessions.retrieve(sessionId, {
      expand: ["setup_intent.payment_method"],
    });
    switch (session.status) {
      case "complete": {
        const method = (session.setup_intent as Stripe.SetupIntent | null)?.payment_method;
        if (!method || typeof method === "string") return { state: "open" };
        return { state: "completed", card: savedCardOf(method) };
      }
      case "expired":
        return { state: this.#cancelled.has(sessionId) ? "cancelled" : "expired" };
      default:
        return { state: "open" };
    }
  }

  async cancel(sessionId: string): Promise<void> {
    this.#cancelled.add(sessionId);
    const session = await this.stripe.checkout.sessions.retrieve(sessionId);
    if (session.status === "open") await this.stripe.checkout.sessions.expire(sessionId);
  }

  /** The card a completed session collected. */
  async paymentMethodOf(sessionId: string): Promise<string> {
    const status = await this.status(sessionId);
    if (status.state !== "completed")
      throw new KioskError(
        ErrorCodes.PROCESSOR_SESSION_INVALID,
        `The keyed entry is ${status.state}, not completed.`,
      );
    return status.card.token;
  }
}
