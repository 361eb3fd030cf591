import { afterEach, describe, expect, it } from "vitest";
import { keyOnHostedForm } from "../helpers/authorize-net.js";
import {
  CARDS,
  type CardRig,
  cardDraft,
  cardRig,
  referenceOf,
  simCharges,
  simRefunds,
  swipe,
  UNREACHABLE_ENDPOINT,
} from "../helpers/card-payments.js";
import { STAFF } from "../helpers/payments.js";

let rig: CardRig;
afterEach(() => rig.dispose());

const intentsOf = (recordId: string) =>
  rig.store.intents.forRecord(recordId).map((intent) => [intent.operation, intent.state]);

describe("card payments through Authorize.Net (its simulator)", () => {
  it("charges once, records what the processor said, and wipes the swiped number", async () => {
    rig = await cardRig();
    const source = swipe(CARDS.approve);
    const outcome = await rig.charger.pay(cardDraft(5_000), STAFF, source);
    expect(outcome.kind).toBe("approved");
    expect(outcome.record).toMatchObject({
      status: "completed",
      revision: 2,
      method: { entryMode: "swiped", maskedPan: "411111******1111", brand: "Visa", cardType: "Visa" },
    });
    expect(source.kind === "swiped" && source.card.wiped).toBe(true);
    const charges = simCharges(rig.simulator);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({
      amountMinor: 5_000,
      invoiceNumber: referenceOf(`sale:${outcome.record.id}`),
    });
    expect(outcome.record.method.type === "card" && outcome.record.method.processorReference).toBe(
      charges[0]?.transId,
    );
    expect(intentsOf(outcome.record.id)).toEqual([["sale", "done"]]);
    expect(rig.store.ledger.account("inv-1").paid.minor).toBe(5_000);
  });

  it("refuses a card for more than central says is left, before the processor sees it", async () => {
    rig = await cardRig();
    // Paid at the front desk: central's account says 200.00 of the 250.00 is paid elsewhere.
    const at = rig.store.clock.now().toISOString();
    const update = {
      invoiceId: "inv-1",
      seq: 1,
      currency: "USD",
      paidMinor: 20_000,
      refundedMinor: 0,
      asOf: at,
    };
    rig.store.elsewhere.apply([update], null, at);
    const source = swipe(CARDS.approve);
    await expect(rig.charger.pay(cardDraft(10_000), STAFF, source)).rejects.toMatchObject({
      code: "PAYMENT_EXCEEDS_BALANCE",
    });
    expect(source.kind === "swiped" && source.card.wiped).toBe(true);
    expect(simCharges(rig.simulator)).toHaveLength(0);
    expect((await rig.charger.pay(cardDraft(5_000), STAFF, swipe(CARDS.approve))).kind).toBe("approved");
    expect(simCharges(rig.simulator)).toHaveLength(1);
  });

  it("records a decline with its reason, and a second card then succeeds", async () => {
    rig = await cardRig();
    // An issuer's insufficient funds: Authorize.Net reports it as a general decline (reason 2).
    const declined = await rig.charger.pay(cardDraft(5_000), STAFF, swipe(CARDS.insufficientFunds));
    expect(declined).toMatchObject({
      kind: "declined",
      record: { status: "declined", declineCode: "PROCESSOR_DECLINED" },
    });
    expect(declined.kind === "declined" && declined.reason.detail).toMatch(/declined.*another card/);
    const second = await rig.charger.pay(cardDraft(5_000), STAFF, swipe(CARDS.approveMastercard));
    expect(second.kind).toBe("approved");
    expect(rig.store.ledger.account("inv-1")).toMatchObject({
      paid: { minor: 5_000 },
      balance: { minor: 20_000 },
    });
    expect(simCharges(rig.simulator)).toHaveLength(1);
  });

  it("asks the processor by key when the answer is lost: the hanging card was charged, so it is approved", async () => {
    rig = await cardRig();
    const outcome = await rig.charger.pay(cardDraft(2_500), STAFF, swipe(CARDS.timeout));
    expect(outcome.kind).toBe("approved");
    expect(simCharges(rig.simulator)).toHaveLength(1);
  });

  it("declines as not charged when the processor failed and the lookup finds nothing", async () => {
    rig = await cardRig();
    const outcome = await rig.charger.pay(cardDraft(2_500), STAFF, swipe(CARDS.serverError));
    expect(outcome).toMatchObject({
      kind: "declined",
      record: { status: "declined", declineCode: "PROCESSOR_UNAVAILABLE" },
    });
    expect(simCharges(rig.simulator)).toHaveLength(0);
  });

  it("refuses cards with a clear message while the processor is unreachable, and cash still works", async () => {
    rig = await cardRig({ endpoint: UNREACHABLE_ENDPOINT });
    const first = await rig.charger.pay(cardDraft(2_500), STAFF, swipe(CARDS.approve));
    expect(first).toMatchObject({ kind: "declined", reason: { code: "CARD_OFFLINE_NOT_ALLOWED" } });
    expect(first.kind === "declined" && first.reason.detail).toMatch(/cash or check/);
    expect(rig.availability.online).toBe(false);
    const cash = rig.store.ledger.record(
      {
        kind: "payment",
        invoiceId: "inv-1",
        amountMinor: 2_500,
        currency: "USD",
        methodId: "cash",
        methodFields: { type: "cash" },
      },
      STAFF,
    );
    expect(cash.status).toBe("completed");
  });

  it("refunds a card payment back to its charge, and voids another at the processor", async () => {
    rig = await cardRig();
    const paid = await rig.charger.pay(cardDraft(6_000), STAFF, swipe(CARDS.approve));
    rig.simulator.settle(); // Authorize.Net refunds settled charges only
    const refund = await rig.charger.refund(
      {
        ...cardDraft(2_000),
        kind: "refund",
        refundOf: paid.record.id,
        methodFields: { type: "card", entryMode: "swiped" },
      },
      { id: "mgr", role: "manager" },
    );
    expect(refund).toMatchObject({
      kind: "approved",
      record: { kind: "refund", status: "completed", method: { maskedPan: "411111******1111" } },
    });
    const chargeOf = (record: typeof paid.record) =>
      record.method.type === "card" ? record.method.processorReference : null;
    expect(simRefunds(rig.simulator)).toEqual([
      expect.objectContaining({
        amountMinor: 2_000,
        invoiceNumber: referenceOf(`refund:${refund.record.id}`),
        refTransId: chargeOf(paid.record),
      }),
    ]);

    const other = await rig.charger.pay(cardDraft(1_000), STAFF, swipe(CARDS.approve));
    const voided = await rig.charger.void(other.record.id, { id: "mgr", role: "manager" });
    expect(voided.status).toBe("voided");
    expect(rig.simulator.books.transactions.get(chargeOf(other.record) ?? "")?.status).toBe("voided");
    expect(intentsOf(other.record.id)).toEqual([
      ["sale", "done"],
      ["void", "done"],
    ]);
  });

  it("takes a keyed card on the hosted form and cancels a keyed entry left waiting", async () => {
    rig = await cardRig();
    const abandoned = await rig.charger.startKeyedEntry("charge", { minor: 3_000, currency: "USD" });
    const entry = await rig.charger.startKeyedEntry("charge", { minor: 3_000, currency: "USD" });
    expect((await rig.processor.hostedEntryStatus(abandoned.sessionId)).state).toBe("cancelled");
    await keyOnHostedForm(rig.simulator, entry, CARDS.approve);
    expect((await rig.charger.keyedEntryStatus(entry.sessionId, entry.collection)).state).toBe("completed");
    const outcome = await rig.charger.pay(
      cardDraft(3_000, { methodFields: { type: "card", entryMode: "keyed" } }),
      STAFF,
      {
        kind: "hosted",
        sessionId: entry.sessionId,
      },
    );
    // Authorize.Net masks a profile's card as XXXX1111: the kiosk never learns a keyed card's digits.
    expect(outcome).toMatchObject({
      kind: "approved",
      record: { method: { entryMode: "keyed", maskedPan: null } },
    });
    const [charge] = simCharges(rig.simulator);
    expect(charge).toMatchObject({ amountMinor: 3_000, card: { last4: "1111" } });
    expect(charge?.profile).not.toBeNull();
  });
});
