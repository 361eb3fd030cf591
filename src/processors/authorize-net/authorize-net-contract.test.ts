import { HANGING_CARD, REASON_CODE_CARD } from "../../../test/fixtures/authorize-net-test-cards.js";
import { chargesWithReference, keyOnHostedForm, swipedCard } from "../../../test/helpers/authorize-net.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import { startAuthorizeNetSimulator } from "../authorize-net-simulator/authorize-net-simulator.js";
import {
  type CardBehaviour,
  DECLINE_CODES,
  type DeclineCode,
  describeProcessorContract,
} from "../processor-contract.test-helpers.js";
import { connectAuthorizeNet } from "./connect-authorize-net.js";

/** The sandbox's reason for each decline: test card 4222222222222 at the reason code in dollars. */
const DECLINE_AMOUNTS: Partial<Record<CardBehaviour, number>> = {
  PROCESSOR_DECLINED: 2_00, // reason 2, a general decline
  PROCESSOR_DO_NOT_HONOR: 3_00, // reason 3, a referral: "call your bank"
  PROCESSOR_EXPIRED_CARD: 8_00, // reason 8
  PROCESSOR_INVALID_CARD: 6_00, // reason 6
};
const REPORTED: readonly DeclineCode[] = DECLINE_CODES.filter((code) => DECLINE_AMOUNTS[code] !== undefined);

describeProcessorContract("Authorize.Net against its simulator (over TLS)", async () => {
  const simulator = await startAuthorizeNetSimulator({ hangMs: 1_500, slowMs: 100 });
  const processor = await connectAuthorizeNet({
    endpoint: simulator.endpoint,
    hostedFormUrl: simulator.hostedFormUrl,
    apiLoginId: simulator.apiLoginId,
    transactionKey: simulator.transactionKey,
    ca: simulator.ca,
    timeoutMs: 700,
    deviceType: 3,
    duplicateWindowSeconds: 28_800,
    currency: "USD",
    logger: createMemoryLogger(),
  });
  return {
    integrated: true,
    processor,
    currency: "USD",
    declineCodes: REPORTED,
    card: (behaviour) => {
      if (behaviour === "approve") return swipedCard("4111111111111111");
      if (DECLINE_AMOUNTS[behaviour] === undefined) throw new Error(`Authorize.Net reports no ${behaviour}`);
      return swipedCard(REASON_CODE_CARD);
    },
    amountFor: (behaviour) => DECLINE_AMOUNTS[behaviour],
    extraDeclines: [
      { code: ErrorCodes.PROCESSOR_HELD_FOR_REVIEW, card: () => swipedCard(REASON_CODE_CARD), minor: 252_00 },
    ],
    saleWithLostAnswer: async (request) => {
      const sent = { ...request, source: swipedCard(HANGING_CARD) };
      const error = await processor.sale(sent).then(
        () => new Error("the hanging card was answered in time"),
        (failure: unknown) => failure,
      );
      return { error, sent: { ...sent, source: swipedCard(HANGING_CARD) } };
    },
    chargesWithKey: async (key) => chargesWithReference(simulator, key),
    keyOnHostedPage: (entry) => keyOnHostedForm(simulator, entry),
    savesCardFromSale: true,
    settleCharges: async () => {
      simulator.settle();
      return true;
    },
    close: () => simulator.close(),
  };
});
