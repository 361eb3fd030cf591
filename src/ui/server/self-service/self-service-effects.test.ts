import { afterEach, describe, expect, it } from "vitest";
import { CARDS } from "../../../../test/helpers/card-payments.js";
import { testCheckout } from "../../../../test/helpers/checkout.js";
import { type TestStore, testStore } from "../../../../test/helpers/store.js";
import { until } from "../../../../test/helpers/wait.js";
import { createMemoryLogger } from "../../../core/logger.js";
import { type CardRead, SwipeSecrets } from "../../../drivers/card-reader/card-read.js";
import { CardNumber } from "../../../payments/card/card-number.js";
import type { MaskedPan } from "../../../payments/card/masked-pan.js";
import type { SelfServiceEffect, SelfServiceEvent } from "../../flows/self-service/index.js";
import { SelfServiceEffects } from "./self-service-effects.js";

const usd = (minor: number) => ({ minor, currency: "USD" });

describe("self-service effects", () => {
  let store: TestStore;
  afterEach(() => store.dispose());

  async function setUp(card: CardRead | null = null, printed: () => Promise<boolean> = async () => true) {
    store = testStore();
    let waiting = card;
    const effects = new SelfServiceEffects({
      checkout: await testCheckout(store),
      printReceipt: printed,
      takeCard: () => {
        const taken = waiting;
        waiting = null;
        return taken;
      },
      logger: createMemoryLogger(),
    });
    const events: SelfServiceEvent[] = [];
    const run = async (effect: SelfServiceEffect): Promise<SelfServiceEvent[]> => {
      events.length = 0;
      await effects.run(effect, (event) => events.push(event));
      return [...events];
    };
    return { effects, run, events };
  }

  it("looks the invoice up through checkout, on the next turn, and says when nothing matches", async () => {
    const { effects, events } = await setUp();
    const running = effects.run(
      { type: "find-invoice", invoiceNumber: "A-1001", lastName: "Núñez" },
      (event) => events.push(event),
    );
    // Not yet: the flow takes its "searching" state before the answer arrives.
    expect(events).toEqual([]);
    await running;
    expect(events).toMatchObject([
      {
        type: "lookup-finished",
        invoice: { id: "inv-1", number: "A-1001", clientName: "Ada Núñez", balance: usd(25_000) },
      },
    ]);
    store.dispose();
    const { run } = await setUp();
    expect(await run({ type: "find-invoice", invoiceNumber: "A-1001", lastName: "Smith" })).toEqual([
      { type: "lookup-finished", invoice: null },
    ]);
  });

  it("looks the invoice shown up again by its number, with what central says was paid elsewhere", async () => {
    const { run } = await setUp();
    const at = store.clock.now().toISOString();
    store.elsewhere.apply(
      [{ invoiceId: "inv-1", seq: 1, currency: "USD", paidMinor: 4_000, refundedMinor: 0, asOf: at }],
      null,
      at,
    );
    expect(await run({ type: "refresh-invoice", invoiceNumber: "A-1001" })).toMatchObject([
      { type: "invoice-refreshed", invoice: { id: "inv-1", paid: usd(4_000), balance: usd(21_000) } },
    ]);
    // An invoice no longer on this kiosk: the screen keeps what it shows.
    expect(await run({ type: "refresh-invoice", invoiceNumber: "A-9999" })).toEqual([]);
  });

  it("declines a charge whose swipe is gone, or that checkout refuses, and wipes the card", async () => {
    const charge = {
      type: "charge-card",
      invoiceId: "inv-1",
      methodId: "card",
      amount: usd(1_000),
      saveCard: false,
    } as const;
    expect(await (await setUp()).run(charge)).toMatchObject([
      { type: "charge-finished", result: { kind: "declined", problem: { code: "CARD_DATA_WIPED" } } },
    ]);
    store.dispose();
    const secrets = new SwipeSecrets({
      cardNumber: CardNumber.parse(CARDS.approve),
      track1: null,
      track2: null,
    });
    const read: CardRead = {
      maskedPan: "424242******4242" as MaskedPan,
      brand: "Visa",
      cardholderName: null,
      expiry: "2030-12",
      expired: false,
      serviceCode: null,
      entryMode: "swiped",
      tracks: [2],
      encrypted: null,
      secrets,
    };
    expect(await (await setUp(read)).run(charge)).toMatchObject([
      {
        type: "charge-finished",
        result: { kind: "declined", problem: { code: "PROCESSOR_NOT_INTEGRATED" } },
      },
    ]);
    expect(secrets.available).toBe(false);
  });

  it("says whether the receipt came out, and runs the thank-you timer until stopped", async () => {
    const receipt = {
      type: "print-receipt",
      recordId: "rec-1",
      invoiceNumber: "A-1001",
      amount: usd(1_000),
      balanceRemaining: usd(24_000),
      card: { maskedPan: null, brand: null, authorizationCode: null },
    } as const;
    const jammed = await setUp(null, async () => Promise.reject(new Error("paper jam")));
    expect(await jammed.run(receipt)).toEqual([{ type: "receipt-finished", printed: false }]);
    store.dispose();

    const { effects, run, events } = await setUp();
    expect(await run(receipt)).toEqual([{ type: "receipt-finished", printed: true }]);
    await run({ type: "start-timer", timer: "thank-you", ms: 20 });
    await until(() => events.length > 0, "the timer");
    expect(events).toEqual([{ type: "timer-expired", timer: "thank-you" }]);
    await run({ type: "start-timer", timer: "thank-you", ms: 20 });
    effects.stop();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(events).toEqual([]);
  });
});
