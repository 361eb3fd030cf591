import { afterEach, describe, expect, it } from "vitest";
import { type CardService, startCardService } from "../../src/checkout/cards/card-service.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { fullSwipe, TEST_CARDS, type TestCard } from "../../src/drivers/card-reader/swipe-builder.js";
import { parseSwipe } from "../../src/drivers/card-reader/swipe-parser.js";
import { DEFAULT_CARD_PREFIXES } from "../../src/payments/card/card-brand.js";
import { processorConfigSchema } from "../../src/processors/config.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { cardDraft } from "../helpers/card-payments.js";
import { testCheckout } from "../helpers/checkout.js";
import { STAFF } from "../helpers/payments.js";
import { type TestStore, testStore } from "../helpers/store.js";

const MANAGER = { id: "mgr", role: "manager" } as const;
let store: TestStore;
let cards: CardService | undefined;
afterEach(async () => {
  await cards?.stop();
  cards = undefined;
  store.dispose();
});

const swipe = (card: TestCard = TEST_CARDS.visa) => {
  const outcome = parseSwipe(fullSwipe(card), {
    prefixes: DEFAULT_CARD_PREFIXES,
    now: new Date("2026-11-26T12:00:00Z"),
    rejectExpired: true,
  });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.card;
};

/**
 * What docs/operations.md tells a studio to do when a kiosk is stolen: central locks it (a signed
 * lock command; here its effect, the lock in the kiosk's store). A locked kiosk moves no money —
 * no card payment, no refund, no void, no keyed entry — even if something reached the facade past
 * the locked screen, and the lock holds across a restart.
 */
describe("a kiosk locked from central (stolen)", () => {
  it("takes and returns no money, writes nothing, and stays locked after a restart", async () => {
    store = testStore({ processorKind: "gateway" });
    cards = await startCardService({
      config: processorConfigSchema.parse({ kind: "authorize-net-simulator" }),
      store,
      clock: store.clock,
      timeZone: "America/Denver",
      logger: createMemoryLogger(),
      intervalMs: 0,
    });
    const checkout = await testCheckout(store, { cards });
    const paid = await checkout.payWithSwipe(cardDraft(3_000), STAFF, swipe());
    expect(paid.kind).toBe("approved");

    checkout.lock("Stolen: reported by the studio", "central");
    const before = store.records.forInvoice("inv-1").length;
    const read = swipe(TEST_CARDS.mastercard);
    await expect(checkout.payWithSwipe(cardDraft(1_000), STAFF, read)).rejects.toMatchObject({
      code: ErrorCodes.KIOSK_LOCKED,
    });
    // The swipe's number was wiped all the same.
    expect(read.secrets.available).toBe(false);
    await expect(
      checkout.record({ ...cardDraft(1_000), kind: "refund", refundOf: paid.record.id }, MANAGER),
    ).rejects.toMatchObject({ code: ErrorCodes.KIOSK_LOCKED });
    await expect(
      checkout.record({ ...cardDraft(500), methodId: "cash", methodFields: { type: "cash" } }, MANAGER),
    ).rejects.toMatchObject({ code: ErrorCodes.KIOSK_LOCKED });
    await expect(checkout.void(paid.record.id, MANAGER)).rejects.toMatchObject({
      code: ErrorCodes.KIOSK_LOCKED,
    });
    await expect(checkout.startKeyedEntry({ minor: 1_000, currency: "USD" })).rejects.toMatchObject({
      code: ErrorCodes.KIOSK_LOCKED,
    });
    expect(store.records.forInvoice("inv-1")).toHaveLength(before);
    expect(store.records.get(paid.record.id)?.status).toBe("completed");

    // The lock is on disk: a restarted kiosk (the same database) is still locked.
    const reopened = openKioskStore({
      path: store.path,
      deviceId: "kiosk-test",
      clock: store.clock,
      logger: createMemoryLogger(),
    });
    try {
      expect(reopened.lock.state).toMatchObject({ locked: true, by: "central" });
    } finally {
      reopened.close();
    }
    checkout.unlock("mgr");
    expect((await checkout.payWithSwipe(cardDraft(1_000), STAFF, swipe(TEST_CARDS.mastercard))).kind).toBe(
      "approved",
    );
  });
});
