import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { forwardOfflinePayments } from "../../src/checkout/cards/offline-forwarder.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import {
  authorizeNetFor,
  CARDS,
  type CardRig,
  cardDraft,
  cardRig,
  encryptedSwipe,
  referenceOf,
  simCharges,
  swipe,
  UNREACHABLE_ENDPOINT,
} from "../helpers/card-payments.js";
import { expectKioskErrorAsync } from "../helpers/kiosk-error.js";
import { STAFF } from "../helpers/payments.js";

const POLICY = { enabled: true, perPaymentCapMinor: 5_000, totalCapMinor: 8_000, maxAgeHours: 72 };

let rig: CardRig;
afterEach(() => rig.dispose());

/** Takes the processor away: the rig's charger now talks to a closed port until it is given back. */
async function offlineRig() {
  rig = await cardRig({ offline: POLICY, endpoint: UNREACHABLE_ENDPOINT });
  const online = await authorizeNetFor(rig.simulator, { logger: rig.logger });
  const forward = () =>
    forwardOfflinePayments({
      store: rig.store,
      processor: online,
      availability: rig.availability,
      policy: POLICY,
      clock: rig.store.clock,
      logger: rig.logger,
    });
  return { forward };
}

describe("offline card acceptance", () => {
  it("stores reader-encrypted payments under the caps, and never a plain swipe", async () => {
    await offlineRig();
    const stored = await rig.charger.pay(cardDraft(4_000), STAFF, encryptedSwipe(CARDS.approve));
    expect(stored).toMatchObject({ kind: "stored-offline", record: { status: "pending" } });
    // Once the kiosk knows it is offline, refusals come before anything is recorded.
    const records = () => rig.store.db.prepare("SELECT count(*) AS n FROM payment_records").get();
    const before = records();
    await expectKioskErrorAsync(
      () => rig.charger.pay(cardDraft(1_000), STAFF, swipe(CARDS.approve)),
      ErrorCodes.CARD_OFFLINE_NOT_ALLOWED,
    );
    await expectKioskErrorAsync(
      () => rig.charger.pay(cardDraft(5_001), STAFF, encryptedSwipe(CARDS.approve)),
      ErrorCodes.CARD_OFFLINE_CAP_EXCEEDED,
    );
    const total = await expectKioskErrorAsync(
      () => rig.charger.pay(cardDraft(4_001), STAFF, encryptedSwipe(CARDS.approve)),
      ErrorCodes.CARD_OFFLINE_CAP_EXCEEDED,
    );
    expect(total.context.storedMinor).toBe(4_000);
    expect(records()).toEqual(before);
    expect(rig.store.offlineCards.storedTotal()).toBe(4_000);
    // The database holds the reader's ciphertext and the masked number, never the card number.
    rig.store.db.pragma("wal_checkpoint(TRUNCATE)");
    expect(readFileSync(rig.store.path).includes(CARDS.approve)).toBe(false);
    expect(simCharges(rig.simulator)).toHaveLength(0);
  });

  it("forwards when the processor is back, wipes the stored data, and lists a later decline for staff", async () => {
    const { forward } = await offlineRig();
    const good = await rig.charger.pay(cardDraft(3_000), STAFF, encryptedSwipe(CARDS.approve));
    const bad = await rig.charger.pay(cardDraft(2_000), STAFF, encryptedSwipe(CARDS.declined));
    expect([good.kind, bad.kind]).toEqual(["stored-offline", "stored-offline"]);

    expect(await forward()).toEqual({ approved: 1, declined: 1, expired: 0, waiting: 0 });
    expect(rig.store.records.get(good.record.id)).toMatchObject({
      status: "completed",
      method: { maskedPan: "411111******1111" },
    });
    expect(rig.store.records.get(bad.record.id)).toMatchObject({
      status: "declined",
      declineCode: "PROCESSOR_DECLINED",
    });
    expect(rig.store.offlineCards.declinesToReview()).toEqual([
      expect.objectContaining({ recordId: bad.record.id, outcome: "PROCESSOR_DECLINED" }),
    ]);
    expect(
      rig.store.db.prepare("SELECT count(*) AS n FROM offline_card_payments WHERE payload IS NOT NULL").get(),
    ).toEqual({ n: 0 });
    expect(simCharges(rig.simulator).map((charge) => charge.invoiceNumber)).toEqual([
      referenceOf(`sale:${good.record.id}`),
    ]);
    expect(await forward()).toEqual({ approved: 0, declined: 0, expired: 0, waiting: 0 }); // nothing sent twice
    expect(rig.availability.online).toBe(true);
  });

  it("does not forward payments older than the maximum age: they are declined as expired", async () => {
    const { forward } = await offlineRig();
    const old = await rig.charger.pay(cardDraft(3_000), STAFF, encryptedSwipe(CARDS.approve));
    rig.store.clock.advance(73 * 3_600_000);
    expect(await forward()).toMatchObject({ expired: 1, approved: 0 });
    expect(rig.store.records.get(old.record.id)).toMatchObject({
      status: "declined",
      declineCode: "CARD_OFFLINE_EXPIRED",
    });
    expect(simCharges(rig.simulator)).toHaveLength(0);
  });
});
