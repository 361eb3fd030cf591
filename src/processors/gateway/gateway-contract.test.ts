import { createMemoryLogger } from "../../core/logger.js";
import { CardNumber } from "../../payments/card/card-number.js";
import type { CardSource } from "../../payments/card-processor.js";
import { TEST_CARDS } from "../gateway-simulator/fixtures/test-cards.js";
import { startGatewaySimulator } from "../gateway-simulator/gateway-simulator.js";
import { type CardBehaviour, describeProcessorContract } from "../processor-contract.test-helpers.js";
import { gatewayProcessor } from "./gateway-client.js";

/** The simulator's test card for each behaviour the contract asks for. */
const SIMULATOR_BEHAVIOUR: Record<CardBehaviour, string> = {
  approve: "approve",
  PROCESSOR_DECLINED: "card_declined",
  PROCESSOR_INSUFFICIENT_FUNDS: "insufficient_funds",
  PROCESSOR_EXPIRED_CARD: "expired_card",
  PROCESSOR_DO_NOT_HONOR: "do_not_honor",
  PROCESSOR_INVALID_CARD: "invalid_card",
};

const numberFor = (behaviour: string): string => {
  const entry = Object.entries(TEST_CARDS).find(
    ([, value]) => (value.kind === "decline" ? value.code : value.kind) === behaviour,
  );
  if (!entry) throw new Error(`the simulator has no test card for ${behaviour}`);
  return entry[0];
};

const swiped = (number: string): CardSource => ({
  kind: "swiped",
  card: CardNumber.parse(number),
  expiry: { month: 12, year: 2030 },
});

describeProcessorContract("the gateway client against the gateway simulator", async () => {
  const simulator = await startGatewaySimulator({ hangMs: 1_200, slowMs: 200 });
  const client = (retries: number) =>
    gatewayProcessor({
      url: simulator.url,
      apiKey: simulator.apiKey,
      timeoutMs: 600,
      logger: createMemoryLogger(),
      retries,
    });
  const processor = client(1);
  const once = client(0);
  return {
    integrated: true,
    processor,
    currency: "USD",
    card: (behaviour) => swiped(numberFor(SIMULATOR_BEHAVIOUR[behaviour])),
    saleWithLostAnswer: async (request) => {
      const sent = { ...request, source: swiped(numberFor("timeout")) };
      const error = await once.sale(sent).then(
        () => new Error("the hanging card was answered in time"),
        (failure: unknown) => failure,
      );
      return { error, sent };
    },
    chargesWithKey: async (key) =>
      [...simulator.ledger.charges.values()].filter((charge) => charge.idempotency_key === key).length,
    keyOnHostedPage: async (entry, behaviour) => {
      const posted = await fetch(entry.url, {
        method: "POST",
        body: new URLSearchParams({
          number: numberFor(SIMULATOR_BEHAVIOUR[behaviour]),
          exp_month: "11",
          exp_year: "2031",
          cvc: "123",
        }),
      });
      if (posted.status !== 200) throw new Error(`the hosted page answered ${posted.status}`);
    },
    close: () => simulator.close(),
  };
});
