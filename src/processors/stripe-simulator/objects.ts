import type Stripe from "stripe";
import { type CardOnFile, stripeId } from "./books.js";

/**
 * Stripe's objects as the simulator builds them, typed with the SDK's own types: a field the SDK
 * adds, renames or makes required fails the build here, so the simulator cannot drift from the API
 * the kiosk's SDK expects without anyone noticing.
 */

export const NO_BILLING: Stripe.PaymentMethod.BillingDetails = {
  address: null,
  email: null,
  name: null,
  phone: null,
  tax_id: null,
};

export function paymentMethodObject(
  type: "card" | "card_present",
  card: CardOnFile,
  created: number,
  generatedFrom: string | null = null,
): Stripe.PaymentMethod {
  const base = {
    id: stripeId("pm"),
    object: "payment_method" as const,
    allow_redisplay: "unspecified" as const,
    billing_details: NO_BILLING,
    created,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
  };
  if (type === "card_present") {
    return {
      ...base,
      type,
      card_present: {
        brand: card.brand,
        brand_product: null,
        cardholder_name: null,
        country: "US",
        exp_month: card.expMonth,
        exp_year: card.expYear,
        fingerprint: card.fingerprint,
        funding: card.funding,
        last4: card.last4,
        networks: { available: [card.brand], preferred: null },
        offline: null,
        preferred_locales: ["en"],
        read_method: "contactless_emv",
        wallet: { type: "unknown" },
      },
    };
  }
  return {
    ...base,
    type,
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: "US",
      display_brand: card.brand,
      exp_month: card.expMonth,
      exp_year: card.expYear,
      fingerprint: card.fingerprint,
      funding: card.funding,
      generated_from: generatedFrom
        ? { charge: generatedFrom, payment_method_details: null, setup_attempt: null }
        : null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      regulated_status: "unregulated",
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
  };
}

export interface NewPaymentIntent {
  readonly amount: number;
  readonly currency: string;
  readonly captureMethod: Stripe.PaymentIntent.CaptureMethod;
  readonly paymentMethodTypes: string[];
  readonly customer: string | null;
  readonly description: string | null;
  readonly metadata: Record<string, string>;
  readonly setupFutureUsage: Stripe.PaymentIntent.SetupFutureUsage | null;
  readonly created: number;
}

export function paymentIntentObject(input: NewPaymentIntent): Stripe.PaymentIntent {
  const id = stripeId("pi");
  return {
    id,
    object: "payment_intent",
    allowed_payment_method_types: input.paymentMethodTypes,
    amount: input.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: input.captureMethod,
    client_secret: `${id}_secret_${stripeId("s").slice(2)}`,
    confirmation_method: "automatic",
    created: input.created,
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: input.paymentMethodTypes,
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: input.setupFutureUsage,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "requires_payment_method",
    transfer_data: null,
    transfer_group: null,
  };
}

/** An authorization code for an approved simulated charge: six digits, as issuers send them. */
function authorizationCode(): string {
  return String(100_000 + Math.floor(Math.random() * 900_000));
}

export interface ChargeAttempt {
  readonly intent: Stripe.PaymentIntent;
  readonly paymentMethod: Stripe.PaymentMethod;
  readonly card: CardOnFile;
  readonly approved: boolean;
  readonly failure: { code: string; declineCode: string; message: string } | null;
  readonly generatedCard: string | null;
  readonly created: number;
}

export function chargeObject(attempt: ChargeAttempt): Stripe.Charge {
  const { intent, paymentMethod, card, approved, failure } = attempt;
  const captured = approved && intent.capture_method !== "manual";
  const authorization = approved ? authorizationCode() : null;
  const details: Stripe.Charge.PaymentMethodDetails =
    paymentMethod.type === "card_present"
      ? {
          type: "card_present",
          card_present: {
            amount_authorized: approved ? intent.amount : null,
            brand: card.brand,
            brand_product: null,
            capture_before: undefined,
            cardholder_name: null,
            country: "US",
            emv_auth_data: null,
            exp_month: card.expMonth,
            exp_year: card.expYear,
            fingerprint: card.fingerprint,
            funding: card.funding,
            generated_card: attempt.generatedCard,
            incremental_authorization_supported: false,
            last4: card.last4,
            network: card.brand,
            network_transaction_id: approved ? stripeId("ntid").slice(5, 20) : null,
            offline: null,
            overcapture_supported: false,
            preferred_locales: ["en"],
            read_method: "contactless_emv",
            receipt: {
              account_type: "credit",
              application_cryptogram: null,
              application_preferred_name: null,
              authorization_code: authorization,
              authorization_response_code: approved ? "3030" : "3035",
              cardholder_verification_method: "none",
              dedicated_file_name: null,
              terminal_verification_results: null,
              transaction_status_information: null,
            },
            wallet: { type: "unknown" },
          },
        }
      : {
          type: "card",
          card: {
            amount_authorized: approved ? intent.amount : null,
            authorization_code: authorization,
            brand: card.brand,
            checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
            country: "US",
            electronic_commerce_indicator: null,
            exp_month: card.expMonth,
            exp_year: card.expYear,
            fingerprint: card.fingerprint,
            funding: card.funding,
            installments: null,
            last4: card.last4,
            mandate: null,
            network: card.brand,
            network_transaction_id: null,
            regulated_status: "unregulated",
            three_d_secure: null,
            transaction_link_id: null,
            wallet: null,
          },
        };
  return {
    id: stripeId("ch"),
    object: "charge",
    amount: intent.amount,
    amount_captured: captured ? intent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: captured ? stripeId("txn") : null,
    billing_details: NO_BILLING,
    calculated_statement_descriptor: "SPECTRA STUDIO",
    captured,
    created: attempt.created,
    currency: intent.currency,
    customer: typeof intent.customer === "string" ? intent.customer : null,
    description: intent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: intent.metadata,
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: approved ? "approved_by_network" : "declined_by_network",
      reason: failure?.declineCode ?? null,
      risk_level: "normal",
      seller_message: approved ? "Payment complete." : "The bank did not return any further details.",
      type: approved ? "authorized" : "issuer_declined",
    },
    paid: approved,
    payment_intent: intent.id,
    payment_method: paymentMethod.id,
    payment_method_details: details,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: approved ? "succeeded" : "failed",
    transfer_data: null,
    transfer_group: null,
  };
}

export function refundObject(
  charge: Stripe.Charge,
  amount: number,
  metadata: Record<string, string>,
  reason: Stripe.Refund.Reason | null,
  created: number,
): Stripe.Refund {
  return {
    id: stripeId("re"),
    object: "refund",
    amount,
    balance_transaction: stripeId("txn"),
    charge: charge.id,
    created,
    currency: charge.currency,
    customer: typeof charge.customer === "string" ? charge.customer : null,
    customer_account: null,
    destination_details: {
      type: "card",
      card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" },
    },
    metadata,
    payment_intent: typeof charge.payment_intent === "string" ? charge.payment_intent : null,
    payment_method: charge.payment_method,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
}

export function customerObject(
  created: number,
  metadata: Record<string, string>,
  name: string | null,
  email: string | null,
): Stripe.Customer {
  return {
    id: stripeId("cus"),
    object: "customer",
    balance: 0,
    created,
    default_source: null,
    description: null,
    email,
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata,
    name,
    shipping: null,
  };
}

export function setupIntentObject(
  created: number,
  customer: string | null,
  paymentMethod: string | null,
  status: Stripe.SetupIntent.Status,
  metadata: Record<string, string>,
): Stripe.SetupIntent {
  const id = stripeId("seti");
  return {
    id,
    object: "setup_intent",
    allowed_payment_method_types: null,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${stripeId("s").slice(2)}`,
    created,
    customer,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    single_use_mandate: null,
    status,
    usage: "off_session",
  };
}

export function locationObject(
  displayName: string,
  address: Stripe.Address,
  metadata: Record<string, string>,
): Stripe.Terminal.Location {
  return {
    id: stripeId("tml"),
    object: "terminal.location",
    address,
    display_name: displayName,
    livemode: false,
    metadata,
  };
}

export function readerObject(
  label: string,
  location: string,
  deviceType: Stripe.Terminal.Reader.DeviceType,
  metadata: Record<string, string>,
  now: number,
): Stripe.Terminal.Reader {
  return {
    id: stripeId("tmr"),
    object: "terminal.reader",
    action: null,
    device_sw_version: "2.37.2.0",
    device_type: deviceType,
    ip_address: "0.0.0.0",
    label,
    last_seen_at: now * 1000,
    livemode: false,
    location,
    metadata,
    serial_number: `${deviceType === "simulated_stripe_s700" ? "STRS7" : "WSC51"}${stripeId("x").slice(2, 14).toUpperCase()}`,
    status: "online",
  };
}

export function eventObject(
  type: Stripe.Event.Type,
  object: { id: string },
  created: number,
  requestId: string | null,
  idempotencyKey: string | null,
): Stripe.Event {
  return {
    id: stripeId("evt"),
    object: "event",
    api_version: "2026-10-28.endive",
    created,
    data: { object: object as unknown as Stripe.Event.Data.Object },
    livemode: false,
    pending_webhooks: 0,
    request: { id: requestId, idempotency_key: idempotencyKey },
    type,
  } as Stripe.Event;
}
