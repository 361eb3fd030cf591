import type { Invoice } from "../../src/payments/invoice.js";
import type { PaymentDraftInput } from "../../src/payments/payment-draft.js";
import { type PaymentMethod, paymentMethodSchema } from "../../src/payments/payment-method.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";
import { createRecord, parseDraft, type RecordStamp } from "../../src/payments/rules/create-record.js";
import type { Channel, PaymentLimits, RuleContext } from "../../src/payments/rules/rule-context.js";

export const TODAY = "2026-11-26";
export const NOW = new Date("2026-11-26T17:00:00Z");

export const METHODS: PaymentMethod[] = [
  { id: "card", name: "Credit Card", type: "card", availability: "self-service" },
  { id: "cash", name: "Cash", type: "cash", opensCashDrawer: true },
  { id: "check", name: "Check", type: "check" },
  { id: "gift", name: "Gift Certificate", type: "gift", allowsOverpayment: true },
  { id: "other", name: "Other", type: "other" },
].map((method) => paymentMethodSchema.parse(method));

export const LIMITS: PaymentLimits = {
  maxAmountMinor: 1_000_000,
  selfService: { allowPartial: true, minPartialMinor: 500 },
};

export const STAFF: Channel = { kind: "staff", staffId: "mgr" };
export const CLIENT: Channel = { kind: "self-service" };

export function invoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: "inv-1",
    number: "A-1001",
    client: { id: "client-1", firstName: "Ada", lastName: "Núñez" },
    sessionId: "session-9",
    lines: [{ description: "Portrait package", quantity: 1, amountMinor: 25_000 }],
    totalMinor: 25_000,
    currency: "USD",
    version: 1,
    ...overrides,
  };
}

export function context(overrides: Partial<RuleContext> = {}): RuleContext {
  return {
    invoice: invoice(),
    records: [],
    methods: METHODS,
    limits: LIMITS,
    today: TODAY,
    channel: STAFF,
    processorKind: "manual",
    ...overrides,
  };
}

let counter = 0;
export function stamp(overrides: Partial<RecordStamp> = {}): RecordStamp {
  counter += 1;
  return { id: `rec-${counter}`, deviceId: "kiosk-test", shiftId: "shift-1", now: NOW, ...overrides };
}

export function cashPayment(amountMinor: number, extra: Partial<PaymentDraftInput> = {}): PaymentDraftInput {
  return {
    kind: "payment",
    invoiceId: "inv-1",
    amountMinor,
    currency: "USD",
    methodId: "cash",
    methodFields: { type: "cash", amountTenderedMinor: null },
    ...extra,
  };
}

export function manualCardPayment(
  amountMinor: number,
  extra: Partial<PaymentDraftInput> = {},
): PaymentDraftInput {
  return {
    kind: "payment",
    invoiceId: "inv-1",
    amountMinor,
    currency: "USD",
    methodId: "card",
    methodFields: {
      type: "card",
      entryMode: "manual",
      authorizationCode: "A1B2C3",
      maskedPan: "411111******1111",
    },
    ...extra,
  };
}

/** Runs the rules on a draft against a context: the record, or the rule's coded error. */
export function take(
  input: PaymentDraftInput,
  ctx: RuleContext = context(),
  at: Partial<RecordStamp> = {},
): PaymentRecord {
  return createRecord(parseDraft(input), ctx, stamp(at));
}
