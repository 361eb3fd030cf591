import fc from "fast-check";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { CardProcessor } from "../../src/payments/card-processor.js";
import {
  type RunningAuthorizeNetSimulator,
  startAuthorizeNetSimulator,
} from "../../src/processors/authorize-net-simulator/authorize-net-simulator.js";
import { authorizeNetFor } from "../helpers/card-payments.js";
import {
  AdvanceClock,
  Collect,
  Forward,
  Reconcile,
  Restart,
  Schedule,
} from "./intent-model/background-commands.js";
import { type KioskTemplate, KioskUnderTest, kioskTemplate } from "./intent-model/kiosk-under-test.js";
import { LATE_KINDS, LateAnswer } from "./intent-model/late-answer.js";
import { newModel } from "./intent-model/model.js";
import { Pay, ProcessorBack, Refund, Void } from "./intent-model/payment-commands.js";

/**
 * Model-based test of card intents (docs/card-processing.md, "The intent machine"): fast-check draws
 * sequences of steps — payments whose answers come, get lost or never leave, kills of the kiosk around
 * processor calls and restarts on the same SQLite file, reconciliation, voids, refunds, offline
 * payments and their forwarding, saved-card collections, and answers arriving late or twice — and
 * runs each against a real store and the Authorize.Net simulator (behind a scripted processor that loses
 * answers and kills at once, without waiting for timeouts) and against a model written from the
 * specification. After every step: the kiosk matches the model, every record's status agrees with
 * its intents, the simulator never holds two charges for one record; after every reconciliation,
 * nothing is open and every charge has its completed record. INTENT_MODEL_RUNS=2000 runs longer.
 */
const RUNS = Number(process.env.INTENT_MODEL_RUNS ?? 300);

const card = fc.constantFrom("approve" as const, "decline" as const);
const call = fc.constantFrom(
  "answer" as const,
  "lost" as const,
  "down" as const,
  "crash-before" as const,
  "crash-after" as const,
);
const payment = fc.constantFrom(
  "answer" as const,
  "lost" as const,
  "lost-unknown" as const,
  "down" as const,
  "crash-before" as const,
  "crash-after" as const,
);
const amount = fc.integer({ min: 100, max: 6_000 });

const pay = fc
  .tuple(amount, card, fc.constantFrom("swiped" as const, "encrypted" as const), payment)
  .map(([minor, which, entry, chosen]) => new Pay(minor, which, entry, chosen));
const refund = fc
  .tuple(fc.nat(), fc.integer({ min: 0, max: 99 }), payment)
  .map(([pick, percent, chosen]) => new Refund(pick, percent / 100, chosen));
const voidCharge = fc.tuple(fc.nat(), call).map(([pick, chosen]) => new Void(pick, chosen));
const lateAnswer = fc
  .tuple(fc.nat(), fc.constantFrom(...LATE_KINDS))
  .map(([pick, kind]) => new LateAnswer(pick, kind));

/** Every step the model knows; payments, refunds, voids and late answers come up more often. */
const COMMANDS = [
  pay,
  pay,
  pay,
  refund,
  refund,
  voidCharge,
  voidCharge,
  lateAnswer,
  lateAnswer,
  fc.constant(new ProcessorBack()),
  call.map((chosen) => new Forward(chosen)),
  amount.map((minor) => new Schedule(minor)),
  fc.tuple(card, call).map(([which, chosen]) => new Collect(which, chosen)),
  fc.boolean().map((up) => new Reconcile(up)),
  fc.boolean().map((up) => new Restart(up)),
  fc.integer({ min: 1, max: 80 }).map((hours) => new AdvanceClock(hours)),
];

describe("card intents against a real store and the Authorize.Net simulator (model-based)", () => {
  let simulator: RunningAuthorizeNetSimulator;
  let processor: CardProcessor;
  let template: KioskTemplate;
  beforeAll(async () => {
    simulator = await startAuthorizeNetSimulator();
    processor = await authorizeNetFor(simulator, { timeoutMs: 5_000 });
    template = await kioskTemplate(simulator, processor);
  });
  afterAll(async () => {
    template.remove();
    await simulator.close();
  });

  it(`never charges a record twice, keeps every record in step with its intents, and leaves nothing approved unrecorded after reconciling (${RUNS} sequences)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(COMMANDS, { maxCommands: 30, size: "max" }), async (steps) => {
        const kiosk = new KioskUnderTest(simulator, template, processor);
        try {
          await fc.asyncModelRun(() => ({ model: newModel(), real: kiosk }), steps);
        } finally {
          kiosk.dispose();
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
