import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { type AuthorizeNetApi, refused } from "./api-client.js";
import {
  RESULT_OK,
  TRANSACTION_STATUS as STATUS,
  settledBatchListResponseSchema,
  transactionDetailsResponseSchema,
  transactionListResponseSchema,
  type WireTransactionDetails,
  type WireTransactionSummary,
} from "./wire-types.js";

/** Statuses of a charge Authorize.Net made (voided later or not), and of a refund it made. */
const CHARGE_MADE = new Set<string>([
  STATUS.authorizedPendingCapture,
  STATUS.capturedPendingSettlement,
  STATUS.settledSuccessfully,
  STATUS.voided,
]);
const REFUND_MADE = new Set<string>([STATUS.refundPendingSettlement, STATUS.refundSettledSuccessfully]);
export const HELD = new Set<string>([STATUS.fdsPendingReview, STATUS.fdsAuthorizedPendingReview]);

const PAGE = 1000;
/** At most this many pages of unsettled transactions are read (10,000 transactions). */
const MAX_PAGES = 10;
const DAY_MS = 24 * 3600_000;

export type Wanted = "charge" | "refund" | "held";

const matches = (wanted: Wanted, status: string): boolean =>
  wanted === "charge"
    ? CHARGE_MADE.has(status)
    : wanted === "refund"
      ? REFUND_MADE.has(status)
      : HELD.has(status);

/**
 * Finds the transaction an intent's call made, by the reference it carried as its invoice number:
 * first among the unsettled transactions (newest first), then in the batches settled in the last
 * `settledDays` days (at most 31, the API's limit), newest first. Declined transactions are passed
 * over: they made nothing.
 */
export async function findByReference(
  api: AuthorizeNetApi,
  reference: string,
  wanted: Wanted,
  options: { readonly now: Date; readonly settledDays: number },
): Promise<WireTransactionSummary | null> {
  const hit = (list: readonly WireTransactionSummary[] | undefined) =>
    list?.find(
      (summary) => summary.invoiceNumber === reference && matches(wanted, summary.transactionStatus),
    ) ?? null;
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const answer = await api.call(
      "getUnsettledTransactionListRequest",
      {
        sorting: { orderBy: "submitTimeUTC", orderDescending: true },
        paging: { limit: PAGE, offset: page },
      },
      transactionListResponseSchema,
    );
    const found = hit(answer.transactions);
    if (found) return found;
    if ((answer.transactions?.length ?? 0) < PAGE) break;
  }
  if (wanted === "held") return null;
  const last = options.now;
  const first = new Date(last.getTime() - Math.min(options.settledDays, 31) * DAY_MS);
  const batches = await api.call(
    "getSettledBatchListRequest",
    { firstSettlementDate: first.toISOString(), lastSettlementDate: last.toISOString() },
    settledBatchListResponseSchema,
  );
  for (const batch of [...(batches.batchList ?? [])].reverse()) {
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const answer = await api.call(
        "getTransactionListRequest",
        { batchId: batch.batchId, paging: { limit: PAGE, offset: page } },
        transactionListResponseSchema,
      );
      const found = hit(answer.transactions);
      if (found) return found;
      if ((answer.transactions?.length ?? 0) < PAGE) break;
    }
  }
  return null;
}

export async function transactionDetails(
  api: AuthorizeNetApi,
  transId: string,
): Promise<WireTransactionDetails> {
  const answer = await api.call(
    "getTransactionDetailsRequest",
    { transId },
    transactionDetailsResponseSchema,
  );
  if (answer.messages.resultCode !== RESULT_OK)
    throw refused("getTransactionDetailsRequest", answer.messages);
  if (!answer.transaction) {
    throw new KioskError(ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN, "Authorize.Net sent no transaction details.", {
      transId,
    });
  }
  return answer.transaction;
}

export const isChargeMade = (status: string): boolean => CHARGE_MADE.has(status);
export const isRefundMade = (status: string): boolean => REFUND_MADE.has(status);
