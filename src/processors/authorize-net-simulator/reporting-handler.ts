import type { MerchantBooks, SimBatch, SimTransaction } from "./merchant-books.js";
import { failedWith, MESSAGE, ok, type SimAnswer, transactionAnswer } from "./wire-answers.js";

type Json = Record<string, unknown>;
const object = (value: unknown): Json | null =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
const text = (value: unknown): string | null =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : null;

/** The API writes amounts as JSON numbers in dollars and cents. */
const dollars = (minor: number): number => minor / 100;
const utc = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");
const local = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "");

const PENDING_APPROVAL = new Set(["FDSPendingReview", "FDSAuthorizedPendingReview"]);
const CHARGED = new Set([
  "capturedPendingSettlement",
  "settledSuccessfully",
  "refundPendingSettlement",
  "refundSettledSuccessfully",
]);

function summary(transaction: SimTransaction): Json {
  return {
    transId: transaction.transId,
    submitTimeUTC: utc(transaction.submittedAt),
    submitTimeLocal: local(transaction.submittedAt),
    transactionStatus: transaction.status,
    ...(transaction.invoiceNumber === null ? {} : { invoiceNumber: transaction.invoiceNumber }),
    accountType: transaction.card.accountType,
    accountNumber: `XXXX${transaction.card.last4}`,
    settleAmount: CHARGED.has(transaction.status) ? dollars(transaction.amountMinor) : 0,
    marketType: transaction.marketType,
    product: transaction.marketType === "Retail" ? "Card Present" : "Card Not Present",
    ...(transaction.profile
      ? {
          profile: {
            customerProfileId: transaction.profile.customerProfileId,
            customerPaymentProfileId: transaction.profile.paymentProfileId,
          },
        }
      : {}),
  };
}

/** Sorting (by id or submit time, either way) and paging (1-based page of at most 1,000), as the API does. */
function listAnswer(found: SimTransaction[], body: Json, refId: string | undefined): SimAnswer {
  const sorting = object(body.sorting);
  const paging = object(body.paging);
  const descending = sorting?.orderDescending === true || sorting?.orderDescending === "true";
  const limit = Number(text(paging?.limit) ?? 1000);
  const page = Number(text(paging?.offset) ?? 1);
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= 1000 && Number.isInteger(page) && page >= 1)) {
    return failedWith(MESSAGE.invalidField, refId, "Paging limit must be 1 to 1000 and offset 1 or more.");
  }
  const sorted = [...found].sort(
    (a, b) => a.submittedAt.getTime() - b.submittedAt.getTime() || Number(a.transId) - Number(b.transId),
  );
  if (descending) sorted.reverse();
  const shown = sorted.slice((page - 1) * limit, page * limit);
  if (shown.length === 0)
    return {
      body: {
        ...(refId === undefined ? {} : { refId }),
        messages: { resultCode: "Ok", message: [{ code: MESSAGE.noRecords[0], text: MESSAGE.noRecords[1] }] },
        totalNumInResultSet: 0,
      },
    };
  return ok({ transactions: shown.map(summary), totalNumInResultSet: found.length }, refId);
}

export function unsettledTransactions(body: Json, books: MerchantBooks): SimAnswer {
  const pendingOnly = body.status === "pendingApproval";
  const found = [...books.transactions.values()].filter(
    (transaction) =>
      transaction.batchId === null && (!pendingOnly || PENDING_APPROVAL.has(transaction.status)),
  );
  return listAnswer(found, body, text(body.refId) ?? undefined);
}

export function batchTransactions(body: Json, books: MerchantBooks): SimAnswer {
  const refId = text(body.refId) ?? undefined;
  const batch = books.batches.find((candidate) => candidate.batchId === text(body.batchId));
  if (!batch) return failedWith(MESSAGE.notFound, refId);
  const found = batch.transIds.flatMap((transId) => books.transactions.get(transId) ?? []);
  return listAnswer(found, body, refId);
}

const MAX_RANGE_MS = 31 * 24 * 3600_000;

function batchView(batch: SimBatch, books: MerchantBooks): Json {
  const first = books.transactions.get(batch.transIds[0] ?? "");
  return {
    batchId: batch.batchId,
    settlementTimeUTC: utc(batch.settledAt),
    settlementTimeLocal: local(batch.settledAt),
    settlementState: "settledSuccessfully",
    paymentMethod: "creditCard",
    marketType: first?.marketType ?? "eCommerce",
    product: first?.marketType === "Retail" ? "Card Present" : "Card Not Present",
  };
}

/** Settled batches between two dates (by default the last 24 hours; at most 31 days). */
export function settledBatches(body: Json, books: MerchantBooks, now: Date): SimAnswer {
  const refId = text(body.refId) ?? undefined;
  const parse = (value: unknown): Date | null | false => {
    const raw = text(value);
    if (raw === null) return null;
    const date = new Date(/[zZ]|[+-]\d{2}:\d{2}$/.test(raw) ? raw : `${raw}Z`);
    return Number.isNaN(date.getTime()) ? false : date;
  };
  const first = parse(body.firstSettlementDate);
  const last = parse(body.lastSettlementDate);
  if (first === false || last === false)
    return failedWith(MESSAGE.invalidField, refId, "The settlement dates are invalid.");
  const until = last ?? now;
  const from = first ?? new Date(until.getTime() - 24 * 3600_000);
  if (until.getTime() - from.getTime() > MAX_RANGE_MS || until < from) {
    return failedWith(MESSAGE.invalidField, refId, "The date range cannot exceed 31 days.");
  }
  const found = books.batches.filter((batch) => batch.settledAt >= from && batch.settledAt <= until);
  if (found.length === 0)
    return {
      body: {
        ...(refId === undefined ? {} : { refId }),
        messages: { resultCode: "Ok", message: [{ code: MESSAGE.noRecords[0], text: MESSAGE.noRecords[1] }] },
      },
    };
  return ok({ batchList: found.map((batch) => batchView(batch, books)) }, refId);
}

export function transactionDetails(body: Json, books: MerchantBooks): SimAnswer {
  const refId = text(body.refId) ?? undefined;
  const transaction = books.transactions.get(text(body.transId) ?? "");
  if (!transaction) return failedWith(MESSAGE.notFound, refId);
  const batch = books.batches.find((candidate) => candidate.batchId === transaction.batchId);
  return ok(
    {
      transaction: {
        transId: transaction.transId,
        ...(transaction.refTransId ? { refTransId: transaction.refTransId } : {}),
        submitTimeUTC: utc(transaction.submittedAt),
        submitTimeLocal: local(transaction.submittedAt),
        transactionType: transaction.type,
        transactionStatus: transaction.status,
        responseCode: Number(transaction.responseCode),
        responseReasonCode: transaction.reasonCode,
        responseReasonDescription: transaction.responseCode === "1" ? "Approval" : "Declined",
        ...(transaction.authCode ? { authCode: transaction.authCode } : {}),
        AVSResponse: "P",
        ...(batch ? { batch: batchView(batch, books) } : {}),
        ...(transaction.invoiceNumber === null
          ? {}
          : { order: { invoiceNumber: transaction.invoiceNumber } }),
        authAmount: dollars(transaction.amountMinor),
        settleAmount: CHARGED.has(transaction.status) ? dollars(transaction.amountMinor) : 0,
        taxExempt: false,
        payment: {
          creditCard: {
            cardNumber: `XXXX${transaction.card.last4}`,
            expirationDate: "XXXX",
            cardType: transaction.card.accountType,
          },
        },
        recurringBilling: false,
        product: transaction.marketType === "Retail" ? "Card Present" : "Card Not Present",
        marketType: transaction.marketType,
        ...(transaction.profile
          ? {
              profile: {
                customerProfileId: transaction.profile.customerProfileId,
                customerPaymentProfileId: transaction.profile.paymentProfileId,
              },
            }
          : {}),
      },
    },
    refId,
  );
}

/** Approves or declines a transaction the fraud filters hold for review. */
export function updateHeldTransaction(body: Json, books: MerchantBooks): SimAnswer {
  const refId = text(body.refId) ?? undefined;
  const held = object(body.heldTransactionRequest);
  const transaction = books.transactions.get(text(held?.refTransId) ?? "");
  if (!transaction || !PENDING_APPROVAL.has(transaction.status)) return failedWith(MESSAGE.notFound, refId);
  const approve = held?.action === "approve";
  if (!approve && held?.action !== "decline") return failedWith(MESSAGE.invalidField, refId);
  transaction.status = approve ? "capturedPendingSettlement" : "declined";
  const answer = transactionAnswer(
    {
      responseCode: approve ? "1" : "2",
      reasonCode: approve ? 1 : 254,
      transId: transaction.transId,
      accountNumber: `XXXX${transaction.card.last4}`,
      accountType: transaction.card.accountType,
    },
    refId,
  );
  return ok({ transactionResponse: answer.body.transactionResponse }, refId);
}
