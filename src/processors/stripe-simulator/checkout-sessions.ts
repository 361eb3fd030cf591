import type Stripe from "stripe";
import { cardOnFile, stripeId } from "./books.js";
import { testCard } from "./fixtures/test-cards.js";
import type { Params } from "./form-body.js";
import { paymentIntentObject, paymentMethodObject, setupIntentObject } from "./objects.js";
import {
  currencyParam,
  metadataParam,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredString,
} from "./params.js";
import { attemptCharge } from "./payment-intents.js";
import type { SimContext } from "./sim-context.js";
import { SimulatedFailure } from "./simulated-failure.js";

const HALF_HOUR = 30 * 60;
const DAY = 24 * 60 * 60;

interface LineTotal {
  readonly currency: string;
  readonly amount: number;
}

/** `line_items[i][price_data][unit_amount]` × `quantity`, all in one currency. */
function lineTotal(params: Params): LineTotal {
  const items = params.line_items;
  if (!Array.isArray(items) || items.length === 0) throw SimulatedFailure.parameterMissing("line_items");
  let currency: string | null = null;
  let amount = 0;
  items.forEach((item, index) => {
    if (typeof item === "string" || Array.isArray(item))
      throw SimulatedFailure.invalidRequest("Invalid line_items.", "parameter_invalid", "line_items");
    const priceData = optionalObject(item, "price_data");
    if (!priceData) throw SimulatedFailure.parameterMissing(`line_items[${index}][price_data]`);
    const unit = optionalInteger(priceData, "unit_amount");
    if (unit === null || unit <= 0)
      throw SimulatedFailure.parameterMissing(`line_items[${index}][price_data][unit_amount]`);
    const quantity = optionalInteger(item, "quantity") ?? 1;
    if (quantity < 1 || quantity > 999_999)
      throw SimulatedFailure.invalidRequest(
        "Invalid quantity.",
        "parameter_invalid_integer",
        `line_items[${index}][quantity]`,
      );
    const lineCurrency = currencyParam(priceData);
    if (currency && currency !== lineCurrency)
      throw SimulatedFailure.invalidRequest(
        "All line items must be in one currency.",
        "parameter_invalid",
        "line_items",
      );
    currency = lineCurrency;
    amount += unit * quantity;
  });
  if (amount < 50 || amount > 99_999_999)
    throw SimulatedFailure.invalidRequest(
      "The total must be between $0.50 and $999,999.99.",
      "amount_too_large",
      "line_items",
    );
  return { currency: currency as unknown as string, amount };
}

export function createSession(context: SimContext, params: Params): Stripe.Checkout.Session {
  const mode = requiredString(params, "mode", 20);
  if (mode !== "payment" && mode !== "setup")
    throw SimulatedFailure.invalidRequest(
      `The simulator makes payment and setup sessions, not ${mode}.`,
      "parameter_invalid",
      "mode",
    );
  const now = context.now();
  const expiresAt = optionalInteger(params, "expires_at") ?? now + DAY;
  if (expiresAt < now + HALF_HOUR || expiresAt > now + DAY)
    throw SimulatedFailure.invalidRequest(
      "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
      "parameter_invalid_integer",
      "expires_at",
    );
  const customer = optionalString(params, "customer", 255);
  if (customer && !context.books.customers.has(customer))
    throw SimulatedFailure.missing("customer", customer, "customer");
  const total = mode === "payment" ? lineTotal(params) : { currency: currencyParam(params), amount: null };
  const intentData = optionalObject(params, "payment_intent_data");
  const id = stripeId("cs_test");
  const session: Stripe.Checkout.Session = {
    id,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: total.amount,
    amount_total: total.amount,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: optionalString(params, "cancel_url", 5000),
    client_reference_id: optionalString(params, "client_reference_id", 200),
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency: total.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer,
    customer_account: null,
    customer_creation: customer ? null : "if_required",
    customer_details: null,
    customer_email: null,
    discounts: [],
    expires_at: expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: metadataParam(params),
    mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "always",
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ["card"],
    payment_status: mode === "setup" ? "no_payment_required" : "unpaid",
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: optionalString(params, "success_url", 5000),
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted_page",
    url: `${context.baseUrl()}/c/pay/${id}`,
    wallet_options: null,
  };
  context.books.sessions.set(id, session);
  // What the PaymentIntent made at payment will carry (Stripe's payment_intent_data[metadata]).
  if (intentData) context.books.sessionIntentMetadata.set(id, metadataParam(intentData));
  return session;
}

/** The session as it stands now: one left open past its expiry has expired (and says so once). */
export function retrieveSession(context: SimContext, id: string): Stripe.Checkout.Session {
  const session = context.books.sessions.get(id);
  if (!session) throw SimulatedFailure.missing("checkout.session", id);
  if (session.status === "open" && context.now() >= session.expires_at) return expireNow(context, session);
  return session;
}

function expireNow(context: SimContext, session: Stripe.Checkout.Session): Stripe.Checkout.Session {
  const expired: Stripe.Checkout.Session = { ...session, status: "expired", url: null };
  context.books.sessions.set(session.id, expired);
  context.emit("checkout.session.expired", expired);
  return expired;
}

export function expireSession(context: SimContext, id: string): Stripe.Checkout.Session {
  const session = retrieveSession(context, id);
  if (session.status !== "open")
    throw SimulatedFailure.invalidRequest(
      `Only Checkout Sessions with a status in ["open"] can be expired. This session has a status of "${session.status}".`,
      "checkout_session_unexpected_state",
    );
  return expireNow(context, session);
}

/** Expires every open session past its time (the simulator's sweep, as Stripe's own). */
export function sweepExpiredSessions(context: SimContext): void {
  for (const session of context.books.sessions.values()) {
    if (session.status === "open" && context.now() >= session.expires_at) expireNow(context, session);
  }
}

export type PagePayment = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * A client pays (or, in setup mode, saves) a card on the hosted page. A decline leaves the session
 * open for another card, as Checkout does; 3D Secure on the page is passed as if authenticated.
 */
export function payOnHostedPage(
  context: SimContext,
  id: string,
  card: { number: string; expMonth: number; expYear: number },
): PagePayment {
  const session = retrieveSession(context, id);
  if (session.status !== "open")
    return {
      ok: false,
      message: `This payment page has ${session.status === "expired" ? "expired" : "already been completed"}.`,
    };
  const test = testCard(card.number);
  const onFile = cardOnFile(test, card.number, card.expMonth, card.expYear);
  const method = paymentMethodObject("card", onFile, context.now());
  context.books.paymentMethods.set(method.id, method);
  context.books.cards.set(method.id, onFile);
  const customer = typeof session.customer === "string" ? session.customer : null;
  if (session.mode === "setup") {
    if (test.outcome.kind === "decline") return { ok: false, message: test.outcome.message };
    if (customer) context.books.paymentMethods.set(method.id, { ...method, customer });
    const setup = setupIntentObject(context.now(), customer, method.id, "succeeded", session.metadata ?? {});
    context.books.setupIntents.set(setup.id, setup);
    return complete(context, session, { setup_intent: setup.id });
  }
  const intent = paymentIntentObject({
    amount: session.amount_total as number,
    currency: session.currency as string,
    captureMethod: "automatic",
    paymentMethodTypes: ["card"],
    customer,
    description: null,
    metadata: context.books.sessionIntentMetadata.get(id) ?? {},
    setupFutureUsage: null,
    created: context.now(),
  });
  context.books.paymentIntents.set(intent.id, intent);
  const outcome =
    test.outcome.kind === "authentication-required" ? { kind: "approve" as const } : test.outcome;
  const attempt = attemptCharge(context, intent, method, onFile, outcome, {
    offSession: false,
    errorOnRequiresAction: true,
  });
  if (attempt.failure) return { ok: false, message: attempt.failure.error.message };
  return complete(context, session, { payment_intent: intent.id, payment_status: "paid" });
}

function complete(
  context: SimContext,
  session: Stripe.Checkout.Session,
  change: Partial<Stripe.Checkout.Session>,
): PagePayment {
  const completed: Stripe.Checkout.Session = { ...session, ...change, status: "complete", url: null };
  context.books.sessions.set(session.id, completed);
  context.emit("checkout.session.completed", completed);
  return { ok: true };
}
