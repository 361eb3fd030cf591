import type Stripe from "stripe";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type {
  CardProcessor,
  CardSource,
  Charge,
  HostedEntryStatus,
  RefundResult,
  SaleRequest,
  SavedCard,
} from "../../payments/card-processor.js";
import { chargeOf, isoCurrency, KEY_METADATA, savedCardOf } from "./charge-of.js";
import { intentWithKey, refundWithKey } from "./find-by-key.js";
import { StripeHostedEntry } from "./hosted-entry.js";
import { closeSessionsWithKey, type PayLinkTiming, payByLink } from "./pay-link.js";
import { type CollectionTiming, cancelIntent, collectOnReader } from "./reader-collection.js";
import type { ReaderActivity } from "./reader-watch.js";
import { fromStripeError } from "./stripe-errors.js";

export interface StripeProcessorOptions {
  readonly stripe: Stripe;
  readonly logger: Logger;
  readonly timing: CollectionTiming;
  /** Pay on your phone: how long its page stays open, how often it is read without a webhook. */
  readonly payLink?: PayLinkTiming;
  /** How far back a look-up by key searches (covers the oldest intent the kiosk may still reconcile). */
  readonly lookupWindowHours: number;
  /** The currency of a card-saving page (a Checkout Session in setup mode needs one). */
  readonly currency: string;
  readonly now?: () => number;
  /** Told when a collection starts and ends (the reader watch, so its own is not "busy"). */
  readonly readerActivity?: ReaderActivity;
}

const NO_CARD_NUMBERS = (): KioskError =>
  new KioskError(
    ErrorCodes.PROCESSOR_REJECTED_REQUEST,
    "Stripe takes cards at its smart reader or its own pages; the kiosk sends it no card numbers. Nothing was charged.",
  );

/**
 * Stripe behind CardProcessor. Every request that creates or moves money carries Stripe's
 * Idempotency-Key (the intent's key, or one derived from it for each step) and every PaymentIntent
 * and Refund carries that key in its metadata, so after a crash the same request replays to the same
 * object, and a look-up by key finds it. A look-up that finds a PaymentIntent not paid cancels it
 * (and its reader's collection), so "never charged" stays true.
 */
export function stripeProcessor(options: StripeProcessorOptions): CardProcessor {
  const { stripe, logger } = options;
  const hosted = new StripeHostedEntry(stripe, options.currency);
  const now = options.now ?? (() => Date.now());
  const payLink = options.payLink ?? { lifetimeMinutes: 30, pollMs: 5_000 };
  const since = (): number => Math.floor(now() / 1000) - options.lookupWindowHours * 3600;
  const metadata = (
    key: string,
    reference: SaleRequest["reference"],
    extra: Record<string, string> = {},
  ) => ({
    [KEY_METADATA]: key,
    record_id: reference.recordId,
    device_id: reference.deviceId,
    ...extra,
  });

  async function paidIntent(id: string): Promise<Charge> {
    return chargeOf(await stripe.paymentIntents.retrieve(id, { expand: ["latest_charge"] }));
  }

  /** A card Stripe already holds (a PaymentMethod), confirmed at once; no one is there to authenticate. */
  async function chargeMethod(
    request: SaleRequest,
    paymentMethod: string,
    customer: string | null,
  ): Promise<Charge> {
    const intent = await stripe.paymentIntents.create(
      {
        amount: request.amount.minor,
        currency: request.amount.currency.toLowerCase(),
        allowed_payment_method_types: ["card"],
        payment_method: paymentMethod,
        ...(customer ? { customer } : {}),
        confirm: true,
        error_on_requires_action: true,
        metadata: metadata(request.idempotencyKey, request.reference),
        expand: ["latest_charge"],
      },
      { idempotencyKey: request.idempotencyKey },
    );
    return chargeOf(intent);
  }

  async function sale(request: SaleRequest): Promise<Charge> {
    const source: CardSource = request.source;
    switch (source.kind) {
      case "swiped":
      case "encrypted":
        throw NO_CARD_NUMBERS();
      case "token": {
        // A saved card belongs to a customer, whom Stripe wants named with it.
        const method = await stripe.paymentMethods.retrieve(source.token);
        const customer =
          typeof method.customer === "string" ? method.customer : (method.customer?.id ?? null);
        return chargeMethod(request, source.token, customer);
      }
      case "hosted":
        return chargeMethod(request, await hosted.paymentMethodOf(source.sessionId), null);
      case "reader": {
        // With the client's consent the card is saved as it is paid: Stripe makes a reusable card
        // (`generated_card`) on the client's customer, for payments made later without them.
        const saving = request.saveCardFor
          ? {
              customer: await findCustomer(request.saveCardFor.clientId),
              setup_future_usage: "off_session" as const,
            }
          : {};
        const created = await stripe.paymentIntents.create(
          {
            amount: request.amount.minor,
            currency: request.amount.currency.toLowerCase(),
            allowed_payment_method_types: ["card_present"],
            capture_method: "automatic",
            ...saving,
            metadata: metadata(request.idempotencyKey, request.reference, { reader: source.readerId }),
          },
          { idempotencyKey: request.idempotencyKey },
        );
        // A replay (after a crash) answers with the PaymentIntent as it was made; it may be paid, or
        // cancelled, since.
        const intent =
          created.lastResponse.headers["idempotent-replayed"] === "true"
            ? await stripe.paymentIntents.retrieve(created.id)
            : created;
        if (intent.status === "succeeded") return paidIntent(intent.id);
        if (intent.status === "canceled")
          throw new KioskError(
            ErrorCodes.CARD_COLLECTION_CANCELLED,
            "This payment was cancelled. Nothing was charged.",
          );
        options.readerActivity?.begin(source.readerId);
        try {
          await collectOnReader(stripe, intent, source, options.timing, logger);
        } finally {
          options.readerActivity?.end(source.readerId);
        }
        return paidIntent(intent.id);
      }
      case "pay-link":
        return paidIntent(
          await payByLink(
            stripe,
            request,
            source,
            metadata(request.idempotencyKey, request.reference),
            payLink,
            logger,
          ),
        );
    }
  }

  /** The PaymentIntent made with this key if it was paid; one not paid is cancelled first. */
  async function lookup(key: string): Promise<Charge | null> {
    // A payment page still open for this key is closed first: no phone may pay it after "never charged".
    const paidByPhone = await closeSessionsWithKey(stripe, key, since());
    if (paidByPhone) return paidIntent(paidByPhone);
    const intent = await intentWithKey(stripe, key, since());
    if (!intent || intent.status === "canceled") return null;
    if (intent.status === "succeeded") return paidIntent(intent.id);
    if (intent.status === "processing" || intent.status === "requires_capture") {
      throw new KioskError(ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN, "Stripe is still processing this payment.", {
        paymentIntent: intent.id,
        status: intent.status,
      });
    }
    const reader = intent.metadata.reader;
    if (reader) {
      const held = (await stripe.terminal.readers.retrieve(reader)) as Stripe.Terminal.Reader;
      if (
        held.action?.status === "in_progress" &&
        held.action.process_payment_intent?.payment_intent === intent.id
      )
        await stripe.terminal.readers.cancelAction(reader).catch(() => undefined);
    }
    if (await cancelIntent(stripe, intent.id, logger)) return null;
    const after = await stripe.paymentIntents.retrieve(intent.id);
    if (after.status === "succeeded") return paidIntent(intent.id);
    throw new KioskError(
      ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
      "Stripe did not say whether this payment was made.",
      {
        paymentIntent: intent.id,
      },
    );
  }

  async function findCustomer(clientId: string): Promise<string> {
    const found = await stripe.customers.search({
      query: `metadata['spectra_client_id']:'${clientId.replace(/'/g, "")}'`,
    });
    const existing = found.data[0];
    if (existing) return existing.id;
    // Search lags a minute behind; the key (per client) makes a repeat within a day return the same one.
    const created = await stripe.customers.create(
      { metadata: { spectra_client_id: clientId } },
      { idempotencyKey: `customer:${clientId}` },
    );
    return created.id;
  }

  const wrapped =
    <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await work(...args);
      } catch (error) {
        throw fromStripeError(error);
      }
    };

  return {
    kind: "gateway",
    sale: wrapped(sale),
    chargeSavedCard: wrapped((request) =>
      sale({
        idempotencyKey: request.idempotencyKey,
        amount: request.amount,
        reference: request.reference,
        source: { kind: "token", token: request.token },
      }),
    ),
    void: wrapped(async (request) => {
      const intent = await stripe.paymentIntents.retrieve(request.chargeId);
      if (intent.status === "requires_capture") {
        await stripe.paymentIntents.cancel(intent.id, {}, { idempotencyKey: request.idempotencyKey });
        return;
      }
      // A captured payment is voided by refunding all of it; the same key replays the same refund.
      await stripe.refunds.create(
        {
          payment_intent: intent.id,
          reason: "requested_by_customer",
          metadata: { [KEY_METADATA]: request.idempotencyKey, kind: "void" },
        },
        { idempotencyKey: request.idempotencyKey },
      );
    }),
    refund: wrapped(async (request): Promise<RefundResult> => {
      const refund = await stripe.refunds.create(
        {
          payment_intent: request.chargeId,
          amount: request.amount.minor,
          metadata: metadata(request.idempotencyKey, request.reference),
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return refundResult(refund, request.chargeId);
    }),
    lookup: wrapped(lookup),
    lookupRefund: wrapped(async (key) => {
      const refund = await refundWithKey(stripe, key, since());
      return refund ? refundResult(refund, String(refund.payment_intent ?? "")) : null;
    }),
    saveCard: wrapped(async (request): Promise<SavedCard> => {
      const source = request.source;
      let method: string;
      if (source.kind === "token") method = source.token;
      else if (source.kind === "hosted") method = await hosted.paymentMethodOf(source.sessionId);
      else throw NO_CARD_NUMBERS();
      const customer = await findCustomer(request.clientId);
      const attached = await stripe.paymentMethods.attach(
        method,
        { customer },
        { idempotencyKey: request.idempotencyKey },
      );
      return savedCardOf(attached);
    }),
    startHostedEntry: wrapped((request) => hosted.start(request.purpose, request.amount)),
    hostedEntryStatus: wrapped((sessionId): Promise<HostedEntryStatus> => hosted.status(sessionId)),
    cancelHostedEntry: wrapped((sessionId) => hosted.cancel(sessionId)),
    async reachable() {
      try {
        await stripe.paymentIntents.list({ limit: 1 });
        return true;
      } catch {
        return false;
      }
    },
  };
}

function refundResult(refund: Stripe.Refund, chargeId: string): RefundResult {
  return {
    refundId: refund.id,
    chargeId,
    amount: { minor: refund.amount, currency: isoCurrency(refund.currency) },
  };
}
