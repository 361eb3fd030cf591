import { readFileSync } from "node:fs";
import { describe } from "vitest";
import { REASON_CODE_CARD } from "../../../test/fixtures/authorize-net-test-cards.js";
import { swipedCard } from "../../../test/helpers/authorize-net.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import { AUTHORIZE_NET_ENDPOINTS } from "../authorize-net-connection.js";
import {
  type CardBehaviour,
  DECLINE_CODES,
  type DeclineCode,
  describeProcessorContract,
} from "../processor-contract.test-helpers.js";
import { AuthorizeNetApi } from "./api-client.js";
import { AnswerTimeoutError, httpsTransport, type Transport } from "./api-transport.js";
import { authorizeNetProcessor } from "./authorize-net-processor.js";
import { invoiceReference } from "./invoice-reference.js";
import { transactionListResponseSchema } from "./wire-types.js";

/**
 * The processor contract against Authorize.Net's real sandbox — opt-in: it runs only when
 * AUTHNET_API_LOGIN_ID and AUTHNET_TRANSACTION_KEY name a sandbox account (a card-present one, for
 * track data), and is skipped otherwise; the simulator's run (authorize-net-contract.test.ts) always
 * runs. See docs/card-processing.md, "The live contract run".
 */
const apiLoginId = process.env.AUTHNET_API_LOGIN_ID ?? "";
const transactionKey = process.env.AUTHNET_TRANSACTION_KEY ?? "";
const credentials = apiLoginId !== "" && transactionKey !== "";

const DECLINE_AMOUNTS: Partial<Record<CardBehaviour, number>> = {
  PROCESSOR_DECLINED: 2_00,
  PROCESSOR_DO_NOT_HONOR: 3_00,
  PROCESSOR_EXPIRED_CARD: 8_00,
  PROCESSOR_INVALID_CARD: 6_00,
};
const CHARGED = new Set([
  "capturedPendingSettlement",
  "settledSuccessfully",
  "authorizedPendingCapture",
  "voided",
]);

describe.runIf(credentials)(
  "Authorize.Net's sandbox (AUTHNET_API_LOGIN_ID and AUTHNET_TRANSACTION_KEY set)",
  () => {
    describeProcessorContract("Authorize.Net against its real sandbox", async () => {
      const logger = createMemoryLogger();
      const { hostedFormUrl } = AUTHORIZE_NET_ENDPOINTS.sandbox;
      // AUTHNET_ENDPOINT / AUTHNET_CA_FILE point the run elsewhere (a simulator, to try this harness).
      const endpoint = process.env.AUTHNET_ENDPOINT ?? AUTHORIZE_NET_ENDPOINTS.sandbox.endpoint;
      const caFile = process.env.AUTHNET_CA_FILE;
      const https = await httpsTransport({
        endpoint,
        timeoutMs: 30_000,
        ca: caFile ? readFileSync(caFile, "utf8") : null,
      });
      const api = new AuthorizeNetApi(https, { apiLoginId, transactionKey }, logger);
      // A client that sends the request, lets the sandbox act on it, and never hears its answer.
      const deaf: Transport = async (body) => {
        await https(body);
        throw new AnswerTimeoutError("the answer was lost on purpose");
      };
      const options = {
        currency: "USD",
        deviceType: 3,
        duplicateWindowSeconds: 28_800,
        hostedFormUrl,
        settledLookupDays: 2,
        logger,
      };
      const processor = authorizeNetProcessor({ ...options, api });
      const losing = authorizeNetProcessor({
        ...options,
        api: new AuthorizeNetApi(deaf, { apiLoginId, transactionKey }, logger),
      });
      return {
        integrated: true,
        processor,
        currency: "USD",
        declineCodes: DECLINE_CODES.filter((code: DeclineCode) => DECLINE_AMOUNTS[code] !== undefined),
        card: (behaviour) => {
          if (behaviour === "approve") return swipedCard("4111111111111111");
          if (DECLINE_AMOUNTS[behaviour] === undefined)
            throw new Error(`Authorize.Net reports no ${behaviour}`);
          return swipedCard(REASON_CODE_CARD);
        },
        amountFor: (behaviour) => DECLINE_AMOUNTS[behaviour],
        extraDeclines: [
          {
            code: ErrorCodes.PROCESSOR_HELD_FOR_REVIEW,
            card: () => swipedCard(REASON_CODE_CARD),
            minor: 252_00,
          },
        ],
        saleWithLostAnswer: async (request) => {
          const error = await losing.sale(request).then(
            () => new Error("the answer was heard"),
            (failure: unknown) => failure,
          );
          return { error, sent: { ...request, source: swipedCard("4111111111111111") } };
        },
        chargesWithKey: async (key) => {
          const answer = await api.call(
            "getUnsettledTransactionListRequest",
            {
              sorting: { orderBy: "submitTimeUTC", orderDescending: true },
              paging: { limit: 1000, offset: 1 },
            },
            transactionListResponseSchema,
          );
          const reference = invoiceReference(key);
          return (answer.transactions ?? []).filter(
            (transaction) =>
              transaction.invoiceNumber === reference && CHARGED.has(transaction.transactionStatus),
          ).length;
        },
        // The sandbox settles once a day: refunds of today's charges are refused (the contract checks it).
        savesCardFromSale: true,
        settleCharges: async () => false,
        close: async () => {},
      };
    });
  },
);
