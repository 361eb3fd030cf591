import { createHash, randomBytes } from "node:crypto";
import type { MerchantBooks, SimCard, SimTransaction, SimTransactionType } from "./merchant-books.js";
import { readPayment, refundCardDigits } from "./payment-reader.js";
import { outcomeFor, REASON_CODES } from "./sandbox-behaviour.js";
import {
  answerFor,
  errorAnswer,
  failedWith,
  MESSAGE,
  type SimAnswer,
  transactionAnswer,
} from "./wire-answers.js";

export interface TransactionContext {
  readonly books: MerchantBooks;
  readonly now: Date;
  readonly currency: string;
  readonly hangMs: number;
  readonly slowMs: number;
}

type Json = Record<string, unknown>;
const object = (value: unknown): Json | null =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
const text = (value: unknown): string | null =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : null;

/** The default duplicate window, and the longest a request may ask for (8 hours). */
const DEFAULT_DUPLICATE_WINDOW_S = 120;
const MAX_DUPLICATE_WINDOW_S = 28_800;

/** "12.34" (or 12.34) → 1234 minor units, exactly; null when not a valid amount. */
export function amountMinor(value: unknown): number | null {
  const amount = text(value);
  const match = amount ? /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(amount) : null;
  if (!match) return null;
  const minor = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(minor) ? minor : null;
}

function settingsOf(request: Json): Map<string, string> {
  const list = object(request.transactionSettings)?.setting;
  const settings = new Map<string, string>();
  for (const setting of Array.isArray(list) ? list : []) {
    const name = text(object(setting)?.settingName);
    const value = text(object(setting)?.settingValue);
    if (name !== null && value !== null) settings.set(name, value);
  }
  return settings;
}

const fingerprintOf = (parts: unknown[]): string =>
  createHash("sha256").update(JSON.stringify(parts)).digest("hex");

/** The request's duplicate window (seconds) and whether it named one; or the answer refusing it. */
function duplicateWindow(request: Json): { seconds: number; asked: boolean } | SimAnswer {
  const settings = settingsOf(request);
  const asked = settings.has("duplicateWindow") ? Number(settings.get("duplicateWindow")) : null;
  if (asked !== null && !(Number.isInteger(asked) && asked >= 0 && asked <= MAX_DUPLICATE_WINDOW_S)) {
    return failedWith(
      MESSAGE.invalidField,
      text(request.refId) ?? undefined,
      "The duplicateWindow setting is invalid.",
    );
  }
  return { seconds: asked ?? DEFAULT_DUPLICATE_WINDOW_S, asked: asked !== null };
}

/**
 * Reason 11 for a repeat inside the window; with a window in the request, the answer carries the
 * original's id and authorization code, as Authorize.Net documents.
 */
function duplicateAnswer(
  books: MerchantBooks,
  fingerprint: string,
  window: { seconds: number; asked: boolean },
  now: Date,
  refId: string | undefined,
): SimAnswer | null {
  const original = window.seconds > 0 ? books.duplicateOf(fingerprint, now) : null;
  if (!original) return null;
  if (!window.asked) return errorAnswer(11, refId);
  return transactionAnswer(
    {
      responseCode: "3",
      reasonCode: 11,
      transId: original.transId,
      authCode: original.responseCode === "1" ? original.authCode : "",
      accountNumber: `XXXX${original.card.last4}`,
      accountType: original.card.accountType,
    },
    refId,
  );
}

const newAuthCode = (): string => randomBytes(3).toString("hex").toUpperCase();

/** createTransactionRequest: charges (from a card, a swipe, a reader's block or a profile), voids, refunds. */
export function createTransaction(body: Json, context: TransactionContext): SimAnswer {
  const refId = text(body.refId) ?? undefined;
  const request = object(body.transactionRequest);
  if (!request) return failedWith(MESSAGE.requiredField, refId);
  switch (request.transactionType) {
    case "authCaptureTransaction":
    case "authOnlyTransaction":
      return charge(request, request.transactionType, refId, context);
    case "voidTransaction":
      return voidTransaction(request, refId, context);
    case "refundTransaction":
      return refund(request, refId, context);
    default:
      return failedWith(
        MESSAGE.invalidField,
        refId,
        "The transaction type is invalid or not supported here.",
      );
  }
}

function cardForCharge(
  request: Json,
  context: TransactionContext,
): { card: SimCard; cardPresent: boolean; profile: SimTransaction["profile"] } | SimAnswer {
  const profile = object(request.profile);
  const customerProfileId = text(profile?.customerProfileId);
  const paymentProfileId = text(object(profile?.paymentProfile)?.paymentProfileId);
  if (customerProfileId !== null && request.payment === undefined) {
    const found = context.books.profiles
      .get(customerProfileId)
      ?.paymentProfiles.find((payment) => payment.paymentProfileId === paymentProfileId);
    if (!found) return failedWith(MESSAGE.notFound, text(request.refId) ?? undefined);
    return {
      card: found.card,
      cardPresent: false,
      profile: { customerProfileId, paymentProfileId: found.paymentProfileId },
    };
  }
  const read = readPayment(request.payment, context.now);
  if (!read.ok)
    return "reasonCode" in read ? errorAnswer(read.reasonCode) : failedWith(MESSAGE[read.message]);
  return { card: read.card, cardPresent: read.cardPresent, profile: null };
}

function charge(
  request: Json,
  type: SimTransactionType,
  refId: string | undefined,
  context: TransactionContext,
): SimAnswer {
  const { books, now } = context;
  const amount = amountMinor(request.amount);
  if (amount === null || amount === 0) return errorAnswer(5, refId);
  const currency = text(request.currencyCode);
  if (currency !== null && currency !== context.currency) return errorAnswer(39, refId);
  const read = cardForCharge(request, context);
  if ("body" in read) return { body: { ...read.body, ...(refId === undefined ? {} : { refId }) } };
  const retail = object(request.retail);
  // Card-present data needs the retail market type (2) and a device type, as the API asks.
  if (read.cardPresent && (text(retail?.marketType) !== "2" || text(retail?.deviceType) === null)) {
    return errorAnswer(87, refId);
  }
  const invoiceNumber = text(object(request.order)?.invoiceNumber);
  const window = duplicateWindow(request);
  if ("body" in window) return window;
  const duplicateFingerprint = fingerprintOf([
    type,
    amount,
    read.card.fingerprint,
    read.card.expiry,
    invoiceNumber,
    text(object(request.customer)?.id),
    text(request.poNumber),
    read.profile,
  ]);
  const duplicate = duplicateAnswer(books, duplicateFingerprint, window, now, refId);
  if (duplicate) return duplicate;
  const windowS = window.seconds;
  const outcome = outcomeFor(read.card.sandboxCard, amount);
  const reasonCode = outcome.kind === "reason" ? outcome.code : 1;
  const responseCode = outcome.kind === "reason" ? (REASON_CODES[reasonCode]?.responseCode ?? "2") : "1";
  if (responseCode === "3") return errorAnswer(reasonCode, refId);
  const status =
    responseCode === "2"
      ? "declined"
      : reasonCode === 252
        ? "FDSAuthorizedPendingReview"
        : responseCode === "4"
          ? "FDSPendingReview"
          : type === "authOnlyTransaction"
            ? "authorizedPendingCapture"
            : "capturedPendingSettlement";
  const transaction: SimTransaction = {
    transId: books.newTransId(),
    type,
    status,
    submittedAt: now,
    amountMinor: amount,
    invoiceNumber,
    card: read.card,
    authCode: responseCode === "1" || reasonCode === 252 ? newAuthCode() : "",
    responseCode,
    reasonCode,
    refTransId: null,
    refundedMinor: 0,
    batchId: null,
    marketType: read.cardPresent ? "Retail" : "eCommerce",
    profile: read.profile,
    duplicateFingerprint,
    duplicateUntil: new Date(now.getTime() + windowS * 1000),
  };
  books.add(transaction);
  const answer = answerFor(transaction, refId);
  if (outcome.kind === "approve" && outcome.answer !== "now") {
    return { ...answer, delayMs: outcome.answer === "hang" ? context.hangMs : context.slowMs };
  }
  return read.profile
    ? {
        ...answer,
        body: {
          ...answer.body,
          transactionResponse: {
            ...(answer.body.transactionResponse as Json),
            profile: {
              customerProfileId: read.profile.customerProfileId,
              customerPaymentProfileId: read.profile.paymentProfileId,
            },
          },
        },
      }
    : answer;
}

const VOIDABLE = new Set([
  "capturedPendingSettlement",
  "authorizedPendingCapture",
  "refundPendingSettlement",
  "FDSPendingReview",
  "FDSAuthorizedPendingReview",
]);

function voidTransaction(request: Json, refId: string | undefined, context: TransactionContext): SimAnswer {
  const original = context.books.transactions.get(text(request.refTransId) ?? "");
  if (!original) return errorAnswer(16, refId);
  if (original.status === "voided") return answerFor(original, refId, 310);
  if (!VOIDABLE.has(original.status)) return errorAnswer(16, refId);
  original.status = "voided";
  return answerFor(original, refId, 1);
}

function refund(request: Json, refId: string | undefined, context: TransactionContext): SimAnswer {
  const { books, now } = context;
  const amount = amountMinor(request.amount);
  if (amount === null || amount === 0) return errorAnswer(5, refId);
  const original = books.transactions.get(text(request.refTransId) ?? "");
  if (!original || original.type === "refundTransaction") return errorAnswer(16, refId);
  const window = duplicateWindow(request);
  if ("body" in window) return window;
  const invoiceNumber = text(object(request.order)?.invoiceNumber);
  const duplicateFingerprint = fingerprintOf(["refundTransaction", amount, original.transId, invoiceNumber]);
  const duplicate = duplicateAnswer(books, duplicateFingerprint, window, now, refId);
  if (duplicate) return duplicate;
  const profile = object(request.profile);
  // A profile named for the refund must still exist, as for a charge (E00040 when it was deleted).
  if (profile && !context.books.profiles.has(text(profile.customerProfileId) ?? ""))
    return failedWith(MESSAGE.notFound, refId);
  const digits = refundCardDigits(request.payment);
  const sameCard = profile
    ? text(profile.customerProfileId) === original.profile?.customerProfileId
    : digits === original.card.last4;
  // Only a settled charge can be refunded, only to its own card, and never beyond what it was.
  if (original.status !== "settledSuccessfully" || !sameCard) return errorAnswer(54, refId);
  if (original.refundedMinor + amount > original.amountMinor) return errorAnswer(55, refId);
  original.refundedMinor += amount;
  const transId = books.newTransId();
  const created: SimTransaction = {
    ...original,
    transId,
    type: "refundTransaction",
    status: "refundPendingSettlement",
    submittedAt: now,
    amountMinor: amount,
    invoiceNumber,
    authCode: "",
    responseCode: "1",
    reasonCode: 1,
    refTransId: original.transId,
    refundedMinor: 0,
    batchId: null,
    duplicateFingerprint,
    duplicateUntil: new Date(now.getTime() + window.seconds * 1000),
  };
  books.add(created);
  return answerFor(created, refId);
}
