import type Stripe from "stripe";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { ReaderCardSource } from "../../payments/card-processor.js";
import { declineOf, fromStripeError } from "./stripe-errors.js";

export interface CollectionTiming {
  /** How often the reader's action is read while the client presents the card. */
  readonly pollMs: number;
  /** How long a client may take at the reader before the collection is cancelled. */
  readonly collectTimeoutMs: number;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

type ActionOutcome =
  | { readonly kind: "succeeded" }
  | { readonly kind: "failed"; readonly action: Stripe.Terminal.Reader.Action }
  /** The reader moved on to another action, or dropped ours: the PaymentIntent says what happened. */
  | { readonly kind: "gone" };

function outcomeFor(reader: Stripe.Terminal.Reader, intentId: string): ActionOutcome | null {
  const action = reader.action;
  if (!action || action.process_payment_intent?.payment_intent !== intentId) return { kind: "gone" };
  if (action.status === "succeeded") return { kind: "succeeded" };
  if (action.status === "failed") return { kind: "failed", action };
  return null;
}

/**
 * Server-driven Terminal: hands the PaymentIntent to the reader and follows the reader's action until
 * it succeeds, fails (declined: the issuer's reason) or is cancelled — by staff through the source's
 * signal, or when the client takes longer than the collection allows. A failed or cancelled
 * collection leaves the PaymentIntent cancelled, so nothing can charge it later. Resolves once the
 * PaymentIntent is paid; the caller reads the charge.
 */
export async function collectOnReader(
  stripe: Stripe,
  intent: Stripe.PaymentIntent,
  source: ReaderCardSource,
  timing: CollectionTiming,
  logger: Logger,
): Promise<void> {
  const readerId = source.readerId;
  try {
    await stripe.terminal.readers.processPaymentIntent(readerId, { payment_intent: intent.id });
  } catch (error) {
    const coded = fromStripeError(error);
    // Busy with this very PaymentIntent (a retry after a lost answer): follow that collection.
    const busyWithUs =
      coded.code === ErrorCodes.CARD_READER_BUSY &&
      (await readerAction(stripe, readerId))?.process_payment_intent?.payment_intent === intent.id;
    if (!busyWithUs) {
      await cancelIntent(stripe, intent.id, logger);
      throw coded;
    }
  }
  source.progress?.("waiting-for-card");
  const deadline = Date.now() + timing.collectTimeoutMs;
  let cancelled = false;
  let lastError: KioskError | null = null;
  for (;;) {
    const stop = source.cancel?.aborted || Date.now() >= deadline;
    if (stop && !cancelled) {
      cancelled = true;
      source.progress?.("cancelling");
      await stripe.terminal.readers.cancelAction(readerId).catch((error: unknown) => {
        logger.warn(`cancelling the collection on ${readerId} failed: ${fromStripeError(error).code}`);
      });
    }
    let reader: Stripe.Terminal.Reader;
    try {
      reader = (await stripe.terminal.readers.retrieve(readerId)) as Stripe.Terminal.Reader;
      lastError = null;
    } catch (error) {
      lastError = fromStripeError(error);
      if (cancelled && Date.now() >= deadline + timing.collectTimeoutMs) throw lastError;
      await sleep(timing.pollMs, source.cancel);
      continue;
    }
    const outcome = outcomeFor(reader, intent.id);
    if (outcome?.kind === "succeeded") return;
    if (outcome?.kind === "failed") {
      if (!(await cancelIntent(stripe, intent.id, logger))) {
        // Not cancellable: paid by a later try at the reader, or Stripe unsure; let it say which.
        const now = await stripe.paymentIntents.retrieve(intent.id);
        if (now.status === "succeeded") return;
        throw new KioskError(
          ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
          "Stripe did not say whether the card was charged.",
        );
      }
      throw failureOf(outcome.action, cancelled, source.cancel?.aborted ?? false);
    }
    if (outcome?.kind === "gone") {
      // The PaymentIntent alone says whether the card was charged.
      const now = await stripe.paymentIntents.retrieve(intent.id);
      if (now.status === "succeeded") return;
      await cancelIntent(stripe, intent.id, logger);
      throw new KioskError(
        ErrorCodes.CARD_COLLECTION_CANCELLED,
        "The card reader stopped collecting. Nothing was charged.",
      );
    }
    if (cancelled && reader.status === "offline" && Date.now() >= deadline) {
      // Offline with our action: cancelling the PaymentIntent makes sure the reader cannot charge it.
      const stopped = await cancelIntent(stripe, intent.id, logger);
      if (stopped)
        throw new KioskError(
          ErrorCodes.CARD_READER_OFFLINE,
          "The card reader went offline. Nothing was charged.",
        );
    }
    await sleep(timing.pollMs, cancelled ? undefined : source.cancel);
  }
}

async function readerAction(stripe: Stripe, readerId: string): Promise<Stripe.Terminal.Reader.Action | null> {
  try {
    return ((await stripe.terminal.readers.retrieve(readerId)) as Stripe.Terminal.Reader).action;
  } catch {
    return null;
  }
}

function failureOf(action: Stripe.Terminal.Reader.Action, cancelled: boolean, byStaff: boolean): KioskError {
  if (action.failure_code === "canceled" || cancelled) {
    return new KioskError(
      ErrorCodes.CARD_COLLECTION_CANCELLED,
      byStaff
        ? "The card collection was cancelled. Nothing was charged."
        : "No card was presented in time. Nothing was charged.",
    );
  }
  const api = action.api_error;
  return declineOf(api?.code ?? action.failure_code, api?.decline_code ?? null);
}

/**
 * Cancels a PaymentIntent that will not be paid, so no reader can charge it later. True when it is
 * cancelled (or was already); false when it could not be (it may have been paid meanwhile).
 */
export async function cancelIntent(stripe: Stripe, intentId: string, logger: Logger): Promise<boolean> {
  try {
    await stripe.paymentIntents.cancel(intentId);
    return true;
  } catch (error) {
    try {
      const intent = await stripe.paymentIntents.retrieve(intentId);
      return intent.status === "canceled";
    } catch {
      logger.warn(`cancelling ${intentId} failed: ${fromStripeError(error).code}`);
      return false;
    }
  }
}
