import type Stripe from "stripe";
import { type CardOnFile, cardOnFile } from "./books.js";
import { TEST_PAYMENT_METHODS, testCardByMask } from "./fixtures/test-cards.js";
import type { Params } from "./form-body.js";
import { paymentMethodObject } from "./objects.js";
import { requiredString } from "./params.js";
import type { SimContext } from "./sim-context.js";
import { SimulatedFailure } from "./simulated-failure.js";

/** The card a test PaymentMethod id (`pm_card_visa`) stands for, or null. */
function testPaymentMethodCard(id: string): CardOnFile | null {
  const masked = Object.hasOwn(TEST_PAYMENT_METHODS, id) ? TEST_PAYMENT_METHODS[id] : undefined;
  const card = masked === undefined ? null : testCardByMask(masked);
  return card ? cardOnFile(card, card.masked) : null;
}

/**
 * A PaymentMethod by id. Stripe's test ids (`pm_card_visa`, …) stand for a test card: each use makes
 * a new PaymentMethod, as Stripe does.
 */
export function resolvePaymentMethod(context: SimContext, id: string): Stripe.PaymentMethod {
  const existing = context.books.paymentMethods.get(id);
  if (existing) return existing;
  const card = testPaymentMethodCard(id);
  if (!card) throw SimulatedFailure.missing("PaymentMethod", id, "payment_method");
  const method = paymentMethodObject("card", card, context.now());
  context.books.paymentMethods.set(method.id, method);
  context.books.cards.set(method.id, card);
  return method;
}

export function retrievePaymentMethod(context: SimContext, id: string): Stripe.PaymentMethod {
  const method = context.books.paymentMethods.get(id);
  if (method) return method;
  // A test id describes its test card without becoming a PaymentMethod of the account.
  const card = testPaymentMethodCard(id);
  if (!card) throw SimulatedFailure.missing("PaymentMethod", id);
  return { ...paymentMethodObject("card", card, context.now()), id };
}

/** Attaches a card PaymentMethod to a customer so it can be charged again later. */
export function attachPaymentMethod(context: SimContext, id: string, params: Params): Stripe.PaymentMethod {
  const customerId = requiredString(params, "customer", 255);
  if (!context.books.customers.has(customerId))
    throw SimulatedFailure.missing("customer", customerId, "customer");
  const method = resolvePaymentMethod(context, id);
  if (method.type !== "card")
    throw SimulatedFailure.invalidRequest(
      "Only card PaymentMethods can be attached to a customer; a card_present one is saved through its generated_card.",
      "payment_method_unexpected_state",
    );
  if (method.customer && method.customer !== customerId)
    throw SimulatedFailure.invalidRequest(
      "The payment method you provided has already been attached to a customer.",
      "payment_method_unexpected_state",
    );
  const attached: Stripe.PaymentMethod = { ...method, customer: customerId };
  context.books.paymentMethods.set(id === method.id ? id : method.id, attached);
  context.emit("payment_method.attached", attached);
  return attached;
}

export function detachPaymentMethod(context: SimContext, id: string): Stripe.PaymentMethod {
  const method = retrievePaymentMethod(context, id);
  if (!method.customer)
    throw SimulatedFailure.invalidRequest(
      "The payment method you provided is not attached to a customer so detachment is impossible.",
      "payment_method_unexpected_state",
    );
  const detached: Stripe.PaymentMethod = { ...method, customer: null };
  context.books.paymentMethods.set(id, detached);
  context.emit("payment_method.detached", detached);
  return detached;
}

export function customerPaymentMethods(context: SimContext, customerId: string): Stripe.PaymentMethod[] {
  if (!context.books.customers.has(customerId)) throw SimulatedFailure.missing("customer", customerId);
  return [...context.books.paymentMethods.values()]
    .filter((method) => method.customer === customerId && method.type === "card")
    .sort((a, b) => b.created - a.created);
}
