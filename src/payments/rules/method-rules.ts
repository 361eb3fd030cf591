import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { cardTypeFor, DEFAULT_CARD_PREFIXES } from "../card/card-brand.js";
import type { ProcessorIntegration } from "../card-processor.js";
import { type Money, subtract, toDecimalString } from "../money.js";
import type { PaymentDraft } from "../payment-draft.js";
import type { PaymentMethod } from "../payment-method.js";
import type { CardDetails, MethodDetails, RecordLine, RecordStatus } from "../payment-record.js";
import type { Channel, PaymentLimits } from "./rule-context.js";

const CHECK_NUMBER = /^\d{1,10}$/;
const AUTHORIZATION_CODE = /^[A-Za-z0-9]{1,12}$/;

/** The configured, enabled method the draft names, if this channel may use it. */
export function resolveMethod(
  methods: readonly PaymentMethod[],
  draft: PaymentDraft,
  channel: Channel,
): PaymentMethod {
  const method = methods.find((candidate) => candidate.id === draft.methodId && candidate.enabled);
  if (!method) {
    throw new KioskError(
      ErrorCodes.PAYMENT_METHOD_UNKNOWN,
      `There is no payment method "${draft.methodId}".`,
      {
        methodId: draft.methodId,
      },
    );
  }
  if (channel.kind === "self-service" && method.availability !== "self-service") {
    throw new KioskError(
      ErrorCodes.PAYMENT_METHOD_NOT_ALLOWED,
      `${method.name} is taken by staff: please see the front desk.`,
      { methodId: method.id },
    );
  }
  if (draft.methodFields.type !== method.type) {
    throw new KioskError(
      ErrorCodes.PAYMENT_METHOD_FIELDS_MISMATCH,
      `${method.name} is a ${method.type} method, but ${draft.methodFields.type} details were given.`,
      { methodId: method.id },
    );
  }
  return method;
}

export interface MethodOutcome {
  details: MethodDetails;
  /** completed unless the money still has to move through the processor. */
  status: RecordStatus;
}

interface MethodInput {
  draft: PaymentDraft;
  method: PaymentMethod;
  amount: Money;
  limits: PaymentLimits;
  channel: Channel;
  processorKind: ProcessorIntegration;
  /** For refunds: the payment being refunded, when one is named. */
  original: RecordLine | null;
}

export function methodDetails(input: MethodInput): MethodOutcome {
  const fields = input.draft.methodFields;
  const settled: RecordStatus = input.draft.futurePayment ? "scheduled" : "completed";
  switch (fields.type) {
    case "cash":
      return { details: cashDetails(input, fields.amountTenderedMinor), status: settled };
    case "check":
      return { details: { type: "check", checkNumber: checkNumber(fields.checkNumber) }, status: settled };
    case "card":
      return cardOutcome(input, fields, settled);
    case "gift":
    case "other":
      return { details: { type: fields.type, reference: fields.reference }, status: settled };
  }
}

function cashDetails(input: MethodInput, tenderedMinor: number | null): MethodDetails {
  const { amount, draft, limits } = input;
  if (draft.kind === "refund" || draft.futurePayment) {
    if (tenderedMinor !== null) {
      throw new KioskError(
        ErrorCodes.PAYMENT_RECORD_INVALID,
        "Amount tendered applies only to cash taken now.",
      );
    }
    return { type: "cash", amountTendered: null, changeDue: null };
  }
  const tendered: Money = { minor: tenderedMinor ?? amount.minor, currency: amount.currency };
  if (tendered.minor < amount.minor) {
    throw new KioskError(
      ErrorCodes.PAYMENT_CASH_TENDERED_SHORT,
      `Cash tendered (${toDecimalString(tendered)}) is less than the amount (${toDecimalString(amount)}).`,
      { tenderedMinor: tendered.minor, amountMinor: amount.minor },
    );
  }
  if (tendered.minor > amount.minor + limits.maxAmountMinor) {
    throw new KioskError(
      ErrorCodes.PAYMENT_AMOUNT_OVER_LIMIT,
      "The amount tendered is not plausible; check it.",
      {
        tenderedMinor: tendered.minor,
      },
    );
  }
  return { type: "cash", amountTendered: tendered, changeDue: subtract(tendered, amount) };
}

function checkNumber(value: string | null): string {
  const trimmed = value?.trim() ?? "";
  if (!CHECK_NUMBER.test(trimmed)) {
    throw new KioskError(
      ErrorCodes.PAYMENT_CHECK_NUMBER_INVALID,
      "Enter the check number printed on the check: 1 to 10 digits.",
    );
  }
  return trimmed;
}

type CardFields = Extract<PaymentDraft["methodFields"], { type: "card" }>;

function cardOutcome(input: MethodInput, fields: CardFields, settled: RecordStatus): MethodOutcome {
  const { method, channel, processorKind, original, draft } = input;
  const charged =
    original?.method.type === "card" && original.method.processorReference !== null ? original.method : null;
  if (draft.kind === "refund" && charged) return processorRefund(charged, processorKind);
  if (!method.cardEntryModes.includes(fields.entryMode)) {
    throw new KioskError(
      ErrorCodes.PAYMENT_METHOD_NOT_ALLOWED,
      `${method.name} does not take ${fields.entryMode} cards.`,
      {
        entryMode: fields.entryMode,
      },
    );
  }
  if (channel.kind === "self-service" && fields.entryMode === "manual") {
    throw new KioskError(ErrorCodes.PAYMENT_METHOD_NOT_ALLOWED, "Manual card entry is for staff only.");
  }
  if (fields.entryMode !== "manual" && processorKind === "manual" && !draft.futurePayment) {
    throw new KioskError(
      ErrorCodes.PAYMENT_METHOD_NOT_ALLOWED,
      "No card processor is set up: take the card on your terminal and enter its authorization code.",
    );
  }
  let authorizationCode: string | null = null;
  if (fields.entryMode === "manual" && !draft.futurePayment) {
    authorizationCode = fields.authorizationCode?.trim() ?? "";
    if (!AUTHORIZATION_CODE.test(authorizationCode)) {
      throw new KioskError(
        ErrorCodes.PAYMENT_AUTH_CODE_INVALID,
        "Enter the authorization code from the card terminal: 1 to 12 letters or digits.",
      );
    }
  }
  const source = original?.method.type === "card" ? original.method : null;
  const maskedPan = source?.maskedPan ?? fields.maskedPan;
  const rules = method.cardPrefixes.length > 0 ? method.cardPrefixes : DEFAULT_CARD_PREFIXES;
  const details: CardDetails = {
    type: "card",
    cardType:
      fields.cardType ?? source?.cardType ?? (maskedPan ? cardTypeFor(maskedPan.slice(0, 6), rules) : null),
    entryMode: fields.entryMode,
    authorizationCode,
    processorToken: source?.processorToken ?? fields.processorToken,
    processorReference: null,
    maskedPan,
    brand: source?.brand ?? fields.brand,
  };
  const viaProcessor = fields.entryMode !== "manual" && !draft.futurePayment;
  return { details, status: viaProcessor ? "authorizing" : settled };
}

/** A refund of a card payment that went through the processor goes back to that charge, the same way. */
function processorRefund(charged: CardDetails, processorKind: ProcessorIntegration): MethodOutcome {
  if (processorKind !== "gateway") {
    throw new KioskError(
      ErrorCodes.PAYMENT_METHOD_NOT_ALLOWED,
      "This card payment went through the card processor, which is not set up now: refund it on the processor's terminal.",
    );
  }
  return {
    details: { ...charged, authorizationCode: null, processorReference: null },
    status: "authorizing",
  };
}
