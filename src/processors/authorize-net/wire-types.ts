import { z } from "zod";

/**
 * Authorize.Net's answers as the kiosk reads them. Every answer is HTTP 200 with a byte-order mark
 * before the JSON; whether it worked is in `messages.resultCode` ("Ok" or "Error", with codes such
 * as I00001 or E00027), and a transaction's own outcome in `transactionResponse.responseCode`:
 * "1" approved, "2" declined, "3" error, "4" held for review. In answers (not in requests) the
 * schema's arrays are plain JSON arrays. Unknown members are dropped: the API adds fields over time.
 */

export const RESULT_OK = "Ok";
export const RESULT_ERROR = "Error";

export const messagesSchema = z.object({
  resultCode: z.enum([RESULT_OK, RESULT_ERROR]),
  message: z.array(z.object({ code: z.string(), text: z.string() })).min(1),
});
export type WireMessages = z.infer<typeof messagesSchema>;

const apiResponse = { refId: z.string().optional(), messages: messagesSchema };

export const RESPONSE_CODE = { approved: "1", declined: "2", error: "3", heldForReview: "4" } as const;

export const transactionResponseSchema = z.object({
  responseCode: z.string(),
  authCode: z.string().optional(),
  transId: z.string().optional(),
  refTransID: z.string().optional(),
  accountNumber: z.string().optional(),
  accountType: z.string().optional(),
  messages: z.array(z.object({ code: z.string(), description: z.string() })).optional(),
  errors: z.array(z.object({ errorCode: z.string(), errorText: z.string() })).optional(),
  profile: z
    .object({ customerProfileId: z.string().optional(), customerPaymentProfileId: z.string().optional() })
    .optional(),
});
export type WireTransactionResponse = z.infer<typeof transactionResponseSchema>;

export const createTransactionResponseSchema = z.object({
  ...apiResponse,
  transactionResponse: transactionResponseSchema.optional(),
  profileResponse: z
    .object({
      messages: messagesSchema,
      customerProfileId: z.string().optional(),
      customerPaymentProfileIdList: z.array(z.string()).optional(),
    })
    .optional(),
});
export type WireCreateTransactionResponse = z.infer<typeof createTransactionResponseSchema>;

/** The statuses a transaction moves through (the API's transactionStatusEnum, those the kiosk meets). */
export const TRANSACTION_STATUS = {
  authorizedPendingCapture: "authorizedPendingCapture",
  capturedPendingSettlement: "capturedPendingSettlement",
  settledSuccessfully: "settledSuccessfully",
  refundPendingSettlement: "refundPendingSettlement",
  refundSettledSuccessfully: "refundSettledSuccessfully",
  voided: "voided",
  declined: "declined",
  expired: "expired",
  fdsPendingReview: "FDSPendingReview",
  fdsAuthorizedPendingReview: "FDSAuthorizedPendingReview",
} as const;

const decimal = z.union([z.number(), z.string()]).transform((value) => String(value));

export const transactionSummarySchema = z.object({
  transId: z.string(),
  submitTimeUTC: z.string().optional(),
  transactionStatus: z.string(),
  invoiceNumber: z.string().optional(),
  accountType: z.string().optional(),
  accountNumber: z.string().optional(),
  settleAmount: decimal.optional(),
});
export type WireTransactionSummary = z.infer<typeof transactionSummarySchema>;

export const transactionListResponseSchema = z.object({
  ...apiResponse,
  transactions: z.array(transactionSummarySchema).optional(),
  totalNumInResultSet: z.number().int().optional(),
});

export const settledBatchListResponseSchema = z.object({
  ...apiResponse,
  batchList: z.array(z.object({ batchId: z.string(), settlementTimeUTC: z.string().optional() })).optional(),
});

export const transactionDetailsSchema = z.object({
  transId: z.string(),
  refTransId: z.string().optional(),
  transactionType: z.string(),
  transactionStatus: z.string(),
  responseCode: z.number().int().optional(),
  responseReasonCode: z.number().int().optional(),
  authCode: z.string().optional(),
  order: z.object({ invoiceNumber: z.string().optional() }).optional(),
  authAmount: decimal,
  settleAmount: decimal,
  payment: z
    .object({
      creditCard: z
        .object({ cardNumber: z.string(), expirationDate: z.string(), cardType: z.string().optional() })
        .optional(),
    })
    .optional(),
  profile: z
    .object({ customerProfileId: z.string().optional(), customerPaymentProfileId: z.string().optional() })
    .optional(),
});
export type WireTransactionDetails = z.infer<typeof transactionDetailsSchema>;

export const transactionDetailsResponseSchema = z.object({
  ...apiResponse,
  transaction: transactionDetailsSchema.optional(),
});

export const createCustomerProfileResponseSchema = z.object({
  ...apiResponse,
  customerProfileId: z.string().optional(),
  customerPaymentProfileIdList: z.array(z.string()).optional(),
});

export const customerProfileResponseSchema = z.object({
  ...apiResponse,
  profile: z
    .object({
      customerProfileId: z.string().optional(),
      merchantCustomerId: z.string().optional(),
      paymentProfiles: z
        .array(
          z.object({
            customerPaymentProfileId: z.string(),
            payment: z
              .object({
                creditCard: z
                  .object({
                    cardNumber: z.string(),
                    expirationDate: z.string(),
                    cardType: z.string().optional(),
                  })
                  .optional(),
              })
              .optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

export const hostedPageResponseSchema = z.object({ ...apiResponse, token: z.string().optional() });

export const plainResponseSchema = z.object(apiResponse);
