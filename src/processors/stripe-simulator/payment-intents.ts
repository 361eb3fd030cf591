import type Stripe from "stripe";
import { type CardOnFile, cardOnFile } from "./books.js";
import { type CardOutcome, readerAmountOutcome } from "./fixtures/test-cards.js";
import type { Params } from "./form-body.js";
import { chargeObject, paymentIntentObject, paymentMethodObject } from "./objects.js";
import {
  amountParam,
  currencyParam,
  metadataParam,
  optionalBoolean,
  optionalString,
  stringList,
} from "./params.js";
import { resolvePaymentMethod } from "./payment-methods.js";
import type { SimContext } from "./sim-context.js";
import { SimulatedFailure } from "./simulated-failure.js";

const CANCELLABLE: readonly Stripe.PaymentIntent.Status[] = [
  "requires_payment_method",
  "requires_capture",
  "requires_confirmation",
  "requires_action",
  "processing",
];

export function retrievePaymentIntent(context: SimContext, id: string): Stripe.PaymentIntent {
  const intent = context.books.paymentIntents.get(id);
  if (!intent) throw SimulatedFailure.missing("payment_intent", id);
  return intent;
}

export function createPaymentIntent(context: SimContext, params: Params): Stripe.PaymentIntent {
  const amount = amountParam(params);
  const currency = currencyParam(params);
  // `allowed_payment_method_types` since API version 2026-10-28 (the SDK's); `payment_method_types` before.
  const types = stringList(params, "allowed_payment_method_types") ??
    stringList(params, "payment_method_types") ?? ["card"];
  for (const type of types) {
    if (type !== "card" && type !== "card_present")
      throw SimulatedFailure.invalidRequest(
        `The payment method type "${type}" is invalid or not enabled on this simulated account.`,
        "payment_intent_invalid_parameter",
        "allowed_payment_method_types",
      );
  }
  const customer = optionalString(params, "customer", 255);
  if (customer && !context.books.customers.has(customer))
    throw SimulatedFailure.missing("customer", customer, "customer");
  const capture = optionalString(params, "capture_method", 20) ?? "automatic";
  if (capture !== "automatic" && capture !== "manual" && capture !== "automatic_async")
    throw SimulatedFailure.invalidRequest(
      `Invalid capture_method: ${capture}`,
      "parameter_invalid",
      "capture_method",
    );
  const future = optionalString(params, "setup_future_usage", 20);
  if (future !== null && future !== "off_session" && future !== "on_session")
    throw SimulatedFailure.invalidRequest(
      `Invalid setup_future_usage: ${future}`,
      "parameter_invalid",
      "setup_future_usage",
    );
  const intent = paymentIntentObject({
    amount,
    currency,
    captureMethod: capture,
    paymentMethodTypes: types,
    customer,
    description: optionalString(params, "description", 1000),
    metadata: metadataParam(params),
    setupFutureUsage: future,
    created: context.now(),
  });
  context.books.paymentIntents.set(intent.id, intent);
  context.emit("payment_intent.created", intent);
  if (optionalBoolean(params, "confirm")) return confirmPaymentIntent(context, intent.id, params);
  const method = optionalString(params, "payment_method", 255);
  if (method) {
    const withMethod: Stripe.PaymentIntent = {
      ...intent,
      payment_method: resolvePaymentMethod(context, method).id,
      status: "requires_confirmation",
    };
    context.books.paymentIntents.set(intent.id, withMethod);
    return withMethod;
  }
  return intent;
}

/** Confirms with a card PaymentMethod (on or off session); a decline is a 402 card_error. */
export function confirmPaymentIntent(context: SimContext, id: string, params: Params): Stripe.PaymentIntent {
  const intent = retrievePaymentIntent(context, id);
  if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation")
    throw SimulatedFailure.unexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`,
    );
  const methodId = optionalString(params, "payment_method", 255) ?? (intent.payment_method as string | null);
  if (!methodId) throw SimulatedFailure.parameterMissing("payment_method");
  const method = resolvePaymentMethod(context, methodId);
  if (method.type !== "card" || !intent.payment_method_types.includes("card"))
    throw SimulatedFailure.invalidRequest(
      "This PaymentIntent cannot be confirmed with this payment method; a card_present PaymentIntent is collected on a reader.",
      "payment_intent_incompatible_payment_method",
      "payment_method",
    );
  if (method.customer && method.customer !== intent.customer)
    throw SimulatedFailure.invalidRequest(
      "The provided PaymentMethod belongs to a customer; pass that customer to use it.",
      "payment_intent_invalid_parameter",
      "payment_method",
    );
  const offSession = optionalString(params, "off_session", 10);
  const strict = optionalBoolean(params, "error_on_requires_action") ?? false;
  const card = context.books.cards.get(method.id) as CardOnFile;
  const settled = attemptCharge(context, intent, method, card, card.outcome, {
    offSession: offSession !== null && offSession !== "false",
    errorOnRequiresAction: strict,
  });
  if (settled.failure) throw settled.failure;
  return settled.intent;
}

export interface Attempt {
  readonly intent: Stripe.PaymentIntent;
  readonly charge: Stripe.Charge | null;
  /** The 402 the API answers a declined confirmation with; null when it went through. */
  readonly failure: SimulatedFailure | null;
}

/**
 * One try at charging the card for the intent: a charge (succeeded or failed), the intent's next
 * status, the events Stripe sends. A card-present payment also counts Terminal's test amounts.
 */
export function attemptCharge(
  context: SimContext,
  intent: Stripe.PaymentIntent,
  method: Stripe.PaymentMethod,
  card: CardOnFile,
  cardOutcome: CardOutcome,
  session: { offSession: boolean; errorOnRequiresAction: boolean },
): Attempt {
  const present = method.type === "card_present";
  const outcome = (present ? readerAmountOutcome(intent.amount) : null) ?? cardOutcome;
  const now = context.now();
  if (outcome.kind === "authentication-required" && !present) {
    if (!session.offSession && !session.errorOnRequiresAction) {
      const waiting: Stripe.PaymentIntent = {
        ...intent,
        payment_method: method.id,
        status: "requires_action",
        next_action: {
          type: "redirect_to_url",
          redirect_to_url: { url: `${context.baseUrl()}/3ds/${intent.id}`, return_url: null },
        },
      };
      context.books.paymentIntents.set(intent.id, waiting);
      context.emit("payment_intent.requires_action", waiting);
      return { intent: waiting, charge: null, failure: null };
    }
    const message = "Your card was declined. This transaction requires authentication.";
    const failed: Stripe.PaymentIntent = {
      ...intent,
      payment_method: null,
      status: "requires_payment_method",
      last_payment_error: {
        type: "card_error",
        code: "authentication_required",
        decline_code: "authentication_required",
        message,
        payment_method: method,
      },
    };
    context.books.paymentIntents.set(intent.id, failed);
    context.emit("payment_intent.payment_failed", failed);
    return {
      intent: failed,
      charge: null,
      failure: new SimulatedFailure(402, {
        type: "card_error",
        code: "authentication_required",
        decline_code: "authentication_required",
        message,
        payment_intent: failed,
      }),
    };
  }
  const decline =
    outcome.kind === "decline"
      ? { code: outcome.code, declineCode: outcome.declineCode, message: outcome.message }
      : outcome.kind === "attach-then-decline"
        ? { code: "card_declined", declineCode: "generic_decline", message: "Your card was declined." }
        : null;
  let generatedCard: string | null = null;
  if (!decline && present && intent.setup_future_usage && typeof intent.customer === "string") {
    // Saving a card read at a reader: Stripe makes a reusable `card` PaymentMethod from it.
    const generated = {
      ...paymentMethodObject(
        "card",
        cardOnFile(
          {
            masked: `000000******${card.last4}`,
            brand: card.brand,
            funding: card.funding,
            outcome: { kind: "approve" },
          },
          `generated:${card.fingerprint}`,
          card.expMonth,
          card.expYear,
        ),
        now,
      ),
      customer: intent.customer,
    };
    context.books.paymentMethods.set(generated.id, generated);
    context.books.cards.set(generated.id, { ...card, outcome: { kind: "approve" } });
    generatedCard = generated.id;
  }
  const charge = chargeObject({
    intent,
    paymentMethod: method,
    card,
    approved: decline === null,
    failure: decline,
    generatedCard,
    created: now,
  });
  context.books.charges.set(charge.id, charge);
  if (decline) {
    const failed: Stripe.PaymentIntent = {
      ...intent,
      latest_charge: charge.id,
      payment_method: null,
      status: "requires_payment_method",
      last_payment_error: {
        type: "card_error",
        charge: charge.id,
        code: decline.code,
        decline_code: decline.declineCode,
        message: decline.message,
        payment_method: method,
      },
    };
    context.books.paymentIntents.set(intent.id, failed);
    context.emit("charge.failed", charge);
    context.emit("payment_intent.payment_failed", failed);
    return {
      intent: failed,
      charge,
      failure: new SimulatedFailure(402, {
        type: "card_error",
        code: decline.code,
        decline_code: decline.declineCode,
        message: decline.message,
        charge: charge.id,
        payment_intent: failed,
      }),
    };
  }
  const manual = intent.capture_method === "manual";
  const paid: Stripe.PaymentIntent = {
    ...intent,
    latest_charge: charge.id,
    payment_method: method.id,
    last_payment_error: null,
    next_action: null,
    status: manual ? "requires_capture" : "succeeded",
    amount_capturable: manual ? intent.amount : 0,
    amount_received: manual ? 0 : intent.amount,
  };
  context.books.paymentIntents.set(intent.id, paid);
  context.emit("charge.succeeded", charge);
  context.emit(manual ? "payment_intent.amount_capturable_updated" : "payment_intent.succeeded", paid);
  return { intent: paid, charge, failure: null };
}

export function capturePaymentIntent(context: SimContext, id: string, params: Params): Stripe.PaymentIntent {
  const intent = retrievePaymentIntent(context, id);
  if (intent.status !== "requires_capture")
    throw SimulatedFailure.unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
    );
  const wanted = optionalString(params, "amount_to_capture", 15);
  const amount = wanted === null ? intent.amount_capturable : Number(wanted);
  if (!Number.isInteger(amount) || amount <= 0 || amount > intent.amount_capturable)
    throw SimulatedFailure.invalidRequest(
      "The amount to capture must be positive and no more than the amount capturable.",
      "amount_too_large",
      "amount_to_capture",
    );
  const chargeId = intent.latest_charge as string;
  const charge = context.books.charges.get(chargeId) as Stripe.Charge;
  context.books.charges.set(chargeId, { ...charge, captured: true, amount_captured: amount });
  const captured: Stripe.PaymentIntent = {
    ...intent,
    status: "succeeded",
    amount_capturable: 0,
    amount_received: amount,
  };
  context.books.paymentIntents.set(id, captured);
  context.emit("payment_intent.succeeded", captured);
  return captured;
}

export function cancelPaymentIntent(context: SimContext, id: string, params: Params): Stripe.PaymentIntent {
  const intent = retrievePaymentIntent(context, id);
  if (!CANCELLABLE.includes(intent.status))
    throw SimulatedFailure.unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELLABLE.join(", ")}.`,
    );
  const reason = optionalString(params, "cancellation_reason", 40) ?? "requested_by_customer";
  const cancelled: Stripe.PaymentIntent = {
    ...intent,
    status: "canceled",
    canceled_at: context.now(),
    cancellation_reason: reason as Stripe.PaymentIntent.CancellationReason,
    amount_capturable: 0,
  };
  context.books.paymentIntents.set(id, cancelled);
  context.emit("payment_intent.canceled", cancelled);
  return cancelled;
}

/**
 * PaymentIntent search: Stripe's query language for the clauses the kiosk uses,
 * `metadata['key']:'value'` and `status:'succeeded'`, joined by AND.
 */
export function searchPaymentIntents(context: SimContext, query: string): Stripe.PaymentIntent[] {
  const clauses = query.split(/\s+AND\s+/);
  const tests = clauses.map((clause) => {
    const metadata = /^metadata\['([^']{1,40})'\]:'([^']{0,500})'$/.exec(clause.trim());
    if (metadata) {
      const [, key, value] = metadata;
      return (intent: Stripe.PaymentIntent) => intent.metadata[key as string] === value;
    }
    const status = /^status:'([a-z_]{1,40})'$/.exec(clause.trim());
    if (status) return (intent: Stripe.PaymentIntent) => intent.status === status[1];
    throw SimulatedFailure.invalidRequest(
      `The query is not valid or uses a field the simulator does not search: ${clause}`,
      "parameter_invalid",
      "query",
    );
  });
  return [...context.books.paymentIntents.values()].filter((intent) => tests.every((test) => test(intent)));
}
