import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { invoiceAccount } from "../invoice-account.js";
import type { Money } from "../money.js";
import { type PaymentDraft, paymentDraftSchema } from "../payment-draft.js";
import type { PaymentRecord, RecordLine } from "../payment-record.js";
import { checkAmount } from "./amount-rules.js";
import { checkPaymentFits, checkRefundFits, findOriginal } from "./balance-rules.js";
import { resolveDates } from "./date-rules.js";
import { methodDetails, resolveMethod } from "./method-rules.js";
import type { RuleContext } from "./rule-context.js";
import { checkFreeText } from "./text-rules.js";

/** Who, where and when: filled in by the kiosk, never taken from the draft. */
export interface RecordStamp {
  readonly id: string;
  readonly deviceId: string;
  readonly shiftId: string | null;
  readonly now: Date;
}

/** Reads untrusted input as a draft, or fails with one coded error that names the bad fields. */
export function parseDraft(input: unknown): PaymentDraft {
  const result = paymentDraftSchema.safeParse(input);
  if (!result.success) {
    const fields = [...new Set(result.error.issues.map((issue) => issue.path.join(".") || "(draft)"))];
    throw new KioskError(
      ErrorCodes.PAYMENT_RECORD_INVALID,
      `The payment is incomplete or malformed: check ${fields.join(", ")}.`,
      {
        fields: fields.join(","),
      },
    );
  }
  return result.data;
}

/**
 * Applies every rule to a draft and returns the record to store, or throws the first rule it breaks
 * as a coded error. Pure: the caller supplies the invoice, its records, the config and the time.
 */
export function createRecord(draft: PaymentDraft, context: RuleContext, stamp: RecordStamp): PaymentRecord {
  const { invoice, records, channel } = context;
  if (draft.invoiceId !== invoice.id) {
    throw new KioskError(ErrorCodes.PAYMENT_INVOICE_UNKNOWN, "The payment names a different invoice.", {
      invoiceId: draft.invoiceId,
    });
  }
  if (channel.kind === "self-service" && (draft.kind === "refund" || draft.futurePayment)) {
    throw new KioskError(
      ErrorCodes.PAYMENT_METHOD_NOT_ALLOWED,
      "Refunds and future payments are made by staff.",
    );
  }
  const amount: Money = { minor: draft.amountMinor, currency: draft.currency };
  checkAmount(amount, invoice.currency, context.limits);
  const method = resolveMethod(context.methods, draft, channel);
  const dates = resolveDates(draft, context.today);
  const account = invoiceAccount(invoice, records);

  let overpayment: Money | null = null;
  let original: RecordLine | null = null;
  if (draft.kind === "payment") {
    if (draft.refundOf !== null) {
      throw new KioskError(ErrorCodes.PAYMENT_RECORD_INVALID, "Only a refund names a payment to refund.");
    }
    overpayment = checkPaymentFits(amount, account, method, channel, context.limits);
  } else {
    original = findOriginal(draft.refundOf, records);
    checkRefundFits(amount, account, method, records, original);
  }

  const { details, status } = methodDetails({
    draft,
    method,
    amount,
    limits: context.limits,
    channel,
    processorKind: context.processorKind,
    original,
  });
  const at = stamp.now.toISOString();
  const record: PaymentRecord = {
    id: stamp.id,
    revision: 1,
    kind: draft.kind,
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    clientId: invoice.client.id,
    sessionId: invoice.sessionId,
    refundOf: original?.id ?? null,
    amount,
    overpayment,
    paymentDate: dates.paymentDate,
    refundable: draft.refundable,
    refundableUntil: dates.refundableUntil,
    futurePayment: draft.futurePayment,
    dueDate: dates.dueDate,
    methodId: method.id,
    methodName: method.name,
    method: details,
    status,
    declineCode: null,
    staffId: channel.kind === "staff" ? channel.staffId : null,
    deviceId: stamp.deviceId,
    shiftId: stamp.shiftId,
    note: draft.note?.trim() || null,
    createdAt: at,
    updatedAt: at,
    voidedAt: null,
    voidedBy: null,
  };
  checkFreeText(record);
  return record;
}
