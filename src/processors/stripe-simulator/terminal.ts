import type Stripe from "stripe";
import { testCardNumber } from "../../payments/card/test-card-number.js";
import { cardOnFile } from "./books.js";
import { testCard } from "./fixtures/test-cards.js";
import type { Params } from "./form-body.js";
import { locationObject, paymentMethodObject, readerObject } from "./objects.js";
import { metadataParam, optionalObject, optionalString, requiredString } from "./params.js";
import { attemptCharge, retrievePaymentIntent } from "./payment-intents.js";
import type { SimContext } from "./sim-context.js";
import { SimulatedFailure } from "./simulated-failure.js";

/** The registration codes Stripe takes for its simulated readers. */
const SIMULATED_DEVICES: Readonly<Record<string, Stripe.Terminal.Reader.DeviceType>> = {
  "simulated-wpe": "simulated_wisepos_e",
  "simulated-s700": "simulated_stripe_s700",
};

export function createLocation(context: SimContext, params: Params): Stripe.Terminal.Location {
  const displayName = requiredString(params, "display_name", 1000);
  const address = optionalObject(params, "address");
  if (!address) throw SimulatedFailure.parameterMissing("address");
  const field = (name: string): string | null => {
    const value = address[name];
    return typeof value === "string" && value !== "" ? value : null;
  };
  if (!field("country")) throw SimulatedFailure.parameterMissing("address[country]");
  const location = locationObject(
    displayName,
    {
      city: field("city"),
      country: field("country"),
      line1: field("line1"),
      line2: field("line2"),
      postal_code: field("postal_code"),
      state: field("state"),
    },
    metadataParam(params),
  );
  context.books.locations.set(location.id, location);
  return location;
}

export function registerReader(context: SimContext, params: Params): Stripe.Terminal.Reader {
  const code = requiredString(params, "registration_code", 100);
  const location = requiredString(params, "location", 255);
  if (!context.books.locations.has(location))
    throw SimulatedFailure.missing("terminal.location", location, "location");
  const device = SIMULATED_DEVICES[code];
  if (!device)
    throw SimulatedFailure.invalidRequest(
      "The registration code you provided is invalid or has expired. This simulator registers the simulated readers `simulated-wpe` and `simulated-s700` only.",
      "parameter_invalid",
      "registration_code",
    );
  const reader = readerObject(
    optionalString(params, "label", 64) ?? "Simulated reader",
    location,
    device,
    metadataParam(params),
    context.now(),
  );
  context.books.readers.set(reader.id, reader);
  return reader;
}

export function retrieveReader(context: SimContext, id: string): Stripe.Terminal.Reader {
  const reader = context.books.readers.get(id);
  if (!reader) throw SimulatedFailure.missing("terminal.reader", id);
  return reader;
}

function usableReader(context: SimContext, id: string): Stripe.Terminal.Reader {
  const reader = retrieveReader(context, id);
  if (reader.status !== "online")
    throw SimulatedFailure.invalidRequest(
      "Reader is currently offline, please ensure the reader is powered on and connected to the internet before retrying your request.",
      "terminal_reader_offline",
    );
  return reader;
}

/** Hands a card_present PaymentIntent to the reader, which waits for a card ("Insert, tap or swipe"). */
export function processPaymentIntent(
  context: SimContext,
  id: string,
  params: Params,
): Stripe.Terminal.Reader {
  const reader = usableReader(context, id);
  if (reader.action?.status === "in_progress")
    throw SimulatedFailure.invalidRequest(
      "Reader is currently busy processing another request. Please reference the integration guide at https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform=server-driven#handle-errors for details on how to handle this error.",
      "terminal_reader_busy",
    );
  const intentId = requiredString(params, "payment_intent", 255);
  const intent = retrievePaymentIntent(context, intentId);
  if (!intent.payment_method_types.includes("card_present"))
    throw SimulatedFailure.invalidRequest(
      "The PaymentIntent must include card_present in its payment_method_types to be processed on a reader.",
      "payment_intent_invalid_parameter",
      "payment_intent",
    );
  if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation")
    throw SimulatedFailure.unexpectedState(
      `This PaymentIntent's status is ${intent.status}; only one awaiting a payment method can be processed.`,
    );
  const busy: Stripe.Terminal.Reader = {
    ...reader,
    action: {
      type: "process_payment_intent",
      status: "in_progress",
      process_payment_intent: { payment_intent: intent.id },
      failure_code: null,
      failure_message: null,
      api_error: null,
    },
  };
  context.books.readers.set(id, busy);
  context.emit("terminal.reader.action_updated", busy);
  return busy;
}

/** Staff cancel the reader's collection: the action fails as canceled, nothing is charged. */
export function cancelReaderAction(context: SimContext, id: string): Stripe.Terminal.Reader {
  const reader = usableReader(context, id);
  if (reader.action?.status !== "in_progress")
    throw SimulatedFailure.invalidRequest(
      "This reader has no in-progress action to cancel.",
      "terminal_reader_timeout",
    );
  const cancelled = failAction(reader, "canceled", "The action was canceled.");
  context.books.readers.set(id, cancelled);
  context.emit("terminal.reader.action_failed", cancelled);
  return cancelled;
}

function failAction(
  reader: Stripe.Terminal.Reader,
  code: string,
  message: string,
  apiError: Stripe.Terminal.Reader.Action.ApiError | null = null,
): Stripe.Terminal.Reader {
  const action = reader.action as Stripe.Terminal.Reader.Action;
  return {
    ...reader,
    action: {
      ...action,
      status: "failed",
      failure_code: code,
      failure_message: message,
      api_error: apiError,
    },
  };
}

/**
 * The test helper Stripe gives simulated readers: a client presents a card (by its test number) and
 * the reader runs the payment it is collecting — approved, or failed with the issuer's reason.
 */
export function presentPaymentMethod(
  context: SimContext,
  id: string,
  params: Params,
): Stripe.Terminal.Reader {
  const reader = usableReader(context, id);
  const action = reader.action;
  if (action?.status !== "in_progress" || !action.process_payment_intent)
    throw SimulatedFailure.invalidRequest(
      "This reader is not collecting a payment: hand it a PaymentIntent with process_payment_intent first.",
      "terminal_reader_timeout",
    );
  const type = optionalString(params, "type", 40) ?? "card_present";
  if (type !== "card_present")
    throw SimulatedFailure.invalidRequest(
      `The simulated reader presents card_present only, not ${type}.`,
      "parameter_invalid",
      "type",
    );
  const number =
    optionalString(optionalObject(params, "card_present") ?? {}, "number", 19) ??
    testCardNumber("424242******4242");
  if (!/^\d{13,19}$/.test(number))
    throw SimulatedFailure.invalidRequest("Invalid card number.", "invalid_number", "card_present[number]");
  const intent = retrievePaymentIntent(context, String(action.process_payment_intent.payment_intent));
  if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation") {
    const failed = failAction(reader, "intent_invalid_state", `The PaymentIntent is ${intent.status}.`);
    context.books.readers.set(id, failed);
    context.emit("terminal.reader.action_failed", failed);
    return failed;
  }
  const test = testCard(number);
  const card = cardOnFile(test, number);
  const method = paymentMethodObject("card_present", card, context.now());
  context.books.paymentMethods.set(method.id, method);
  context.books.cards.set(method.id, card);
  const attempt = attemptCharge(context, intent, method, card, test.outcome, {
    offSession: false,
    errorOnRequiresAction: true,
  });
  if (attempt.failure) {
    const error = attempt.failure.error;
    const failed = failAction(reader, error.code ?? "card_declined", error.message, {
      type: "card_error",
      code: (error.code ?? "card_declined") as Stripe.Terminal.Reader.Action.ApiError.Code,
      decline_code: error.decline_code,
      message: error.message,
      charge: error.charge,
    } as Stripe.Terminal.Reader.Action.ApiError);
    context.books.readers.set(id, failed);
    context.emit("terminal.reader.action_failed", failed);
    return failed;
  }
  const done: Stripe.Terminal.Reader = { ...reader, action: { ...action, status: "succeeded" } };
  context.books.readers.set(id, done);
  context.emit("terminal.reader.action_succeeded", done);
  return done;
}

/** Not in Stripe's API (a real reader goes offline by losing power or network): the tests' switch. */
export function setReaderStatus(context: SimContext, id: string, status: "online" | "offline"): void {
  const reader = retrieveReader(context, id);
  context.books.readers.set(id, {
    ...reader,
    status,
    last_seen_at: status === "online" ? context.now() * 1000 : reader.last_seen_at,
  });
}

/** A PaymentIntent cancelled while a reader collects it: the reader's action fails with it. */
export function abandonReaderActionsFor(context: SimContext, intentId: string): void {
  for (const reader of context.books.readers.values()) {
    const action = reader.action;
    if (action?.status === "in_progress" && action.process_payment_intent?.payment_intent === intentId) {
      const failed = failAction(reader, "canceled", "The PaymentIntent was canceled.");
      context.books.readers.set(reader.id, failed);
      context.emit("terminal.reader.action_failed", failed);
    }
  }
}
