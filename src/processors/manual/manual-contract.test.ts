import { CardNumber } from "../../payments/card/card-number.js";
import { describeProcessorContract } from "../processor-contract.test-helpers.js";
import { manualProcessor } from "./manual-processor.js";

describeProcessorContract(
  "the manual processor (no integration: staff use their own terminal)",
  async () => ({
    integrated: false,
    processor: manualProcessor(),
    currency: "USD",
    card: () => ({
      kind: "swiped",
      card: CardNumber.parse("4242424242424242"),
      expiry: { month: 12, year: 2030 },
    }),
    close: async () => {},
  }),
);
