import type { SimTransaction } from "./merchant-books.js";
import { REASON_CODES } from "./sandbox-behaviour.js";

/** The byte-order mark Authorize.Net puts before every JSON answer (clients must skip it). */
export const BYTE_ORDER_MARK = "\uFEFF";

/** One answer, sent as HTTP 200 whatever it says, as the real API does; `delayMs` holds it back. */
export interface SimAnswer {
  readonly body: Record<string, unknown>;
  readonly delayMs?: number;
}

export const ok = (extra: Record<string, unknown> = {}, refId?: string): SimAnswer => ({
  body: {
    ...extra,
    ...(refId === undefined ? {} : { refId }),
    messages: { resultCode: "Ok", message: [{ code: "I00001", text: "Successful." }] },
  },
});

export const failed = (
  code: string,
  text: string,
  refId?: string,
  extra: Record<string, unknown> = {},
): SimAnswer => ({
  body: {
    ...extra,
    ...(refId === undefined ? {} : { refId }),
    messages: { resultCode: "Error", message: [{ code, text }] },
  },
});

/** The API's message codes the simulator answers with. */
export const MESSAGE = {
  parse: ["E00003", "An error occurred while parsing the JSON request."],
  unknownMethod: ["E00004", "The name of the requested API method is invalid."],
  authentication: ["E00007", "User authentication failed due to invalid authentication values."],
  invalidField: ["E00013", "The field is invalid."],
  requiredField: ["E00014", "A required field is not present."],
  unsuccessful: ["E00027", "The transaction was unsuccessful."],
  duplicateRecord: ["E00039", "A duplicate record already exists."],
  notFound: ["E00040", "The record cannot be found."],
  deviceInfo: ["E00061", "Device information is not formatted correctly."],
  noRecords: ["I00004", "No records found."],
} as const;

export const failedWith = (message: readonly [string, string], refId?: string, text?: string): SimAnswer =>
  failed(message[0], text ?? message[1], refId);

interface TransactionAnswer {
  readonly responseCode: string;
  readonly reasonCode: number;
  readonly transId: string;
  readonly refTransId?: string;
  readonly authCode?: string;
  readonly accountNumber?: string;
  readonly accountType?: string;
  readonly extra?: Record<string, unknown>;
}

/**
 * A createTransactionResponse: `messages` says Ok for an approval or a hold and Error (E00027) for a
 * decline or an error; the transaction's own answer is a message (approved, held) or an error.
 */
export function transactionAnswer(answer: TransactionAnswer, refId?: string): SimAnswer {
  const reason = REASON_CODES[answer.reasonCode];
  const text = reason?.text ?? "An error occurred during processing.  Please try again.";
  const good = answer.responseCode === "1" || answer.responseCode === "4";
  const transactionResponse = {
    responseCode: answer.responseCode,
    authCode: answer.authCode ?? "",
    avsResultCode: "P",
    cvvResultCode: "",
    cavvResultCode: "",
    transId: answer.transId,
    refTransID: answer.refTransId ?? "",
    transHash: "",
    testRequest: "0",
    accountNumber: answer.accountNumber ?? "",
    accountType: answer.accountType ?? "",
    ...(good
      ? { messages: [{ code: String(answer.reasonCode), description: text }] }
      : { errors: [{ errorCode: String(answer.reasonCode), errorText: text }] }),
    transHashSha2: "",
    ...answer.extra,
  };
  return good
    ? ok({ transactionResponse }, refId)
    : failed(MESSAGE.unsuccessful[0], MESSAGE.unsuccessful[1], refId, { transactionResponse });
}

/** An answer for a transaction the books hold (a charge, a refund, or the original a duplicate matches). */
export function answerFor(
  transaction: SimTransaction,
  refId: string | undefined,
  reasonCode?: number,
): SimAnswer {
  return transactionAnswer(
    {
      responseCode:
        reasonCode === undefined ? transaction.responseCode : (REASON_CODES[reasonCode]?.responseCode ?? "3"),
      reasonCode: reasonCode ?? transaction.reasonCode,
      transId: transaction.transId,
      refTransId: transaction.refTransId ?? undefined,
      authCode: transaction.authCode,
      accountNumber: `XXXX${transaction.card.last4}`,
      accountType: transaction.card.accountType,
    },
    refId,
  );
}

/** An error that made no transaction: the API answers with transaction id 0. */
export function errorAnswer(reasonCode: number, refId?: string): SimAnswer {
  return transactionAnswer(
    { responseCode: REASON_CODES[reasonCode]?.responseCode ?? "3", reasonCode, transId: "0" },
    refId,
  );
}

/** The answer's bytes: a byte-order mark, then the JSON. */
export function answerText(answer: SimAnswer): string {
  return `${BYTE_ORDER_MARK}${JSON.stringify(answer.body)}`;
}
