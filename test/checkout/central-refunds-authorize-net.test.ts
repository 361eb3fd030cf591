import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChargeOutcome } from "../../src/checkout/cards/charge-outcome.js";
import { withSwipeSource } from "../../src/checkout/cards/swipe-source.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { TEST_CARDS } from "../../src/drivers/card-reader/fixtures/test-cards.js";
import { fullSwipe } from "../../src/drivers/card-reader/swipe-builder.js";
import type { PaymentDraftInput } from "../../src/payments/payment-draft.js";
import type { RunningAuthorizeNetSimulator } from "../../src/processors/authorize-net-simulator/authorize-net-simulator.js";
import { referenceOf, simRefunds } from "../helpers/card-payments.js";
import { centralTotals, sqlOf } from "../helpers/central-queries.js";
import { kioskTotals } from "../helpers/kiosk-store.js";
import { capturedPublishes } from "../helpers/mqtt-capture.js";
import { invoice, STAFF } from "../helpers/payments.js";
import { type ScanKiosk, startScanKiosk } from "../helpers/scan-kiosk.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-anet-central-refunds";
const MANAGER = { id: "mgr", role: "manager" } as const;
const LIMIT_MINOR = 5_000;
const ALBUM = invoice({ id: "inv-anet-refunds", number: "R-4001", totalMinor: 1_000_000 });

const draft = (amountMinor: number, extra: Partial<PaymentDraftInput> = {}): PaymentDraftInput => ({
  kind: "payment",
  invoiceId: ALBUM.id,
  amountMinor,
  currency: "USD",
  methodId: "card",
  methodFields: { type: "card", entryMode: "swiped" },
  ...extra,
});

/**
 * Refunds above the kiosk's limit on Authorize.Net: the kiosk asks central over MQTT (its own broker
 * account, under the refund intent's key), central checks the payment against its records on
 * PostgreSQL and refunds it with the transaction key it holds, and the refund comes back to the kiosk
 * as its record. Central reaches the simulator directly; the kiosk's own way to it runs through a
 * capture the test cuts, so a refund made while it is cut was made by central.
 */
describe("Authorize.Net refunds above the kiosk's limit, made by central", () => {
  let rig: ScanKiosk;
  let simulator: RunningAuthorizeNetSimulator;

  beforeAll(async () => {
    rig = await startScanKiosk(DEVICE, { refundLimitMinor: LIMIT_MINOR });
    if (!rig.authorizeNet) throw new Error("the kiosk charges through Authorize.Net");
    simulator = rig.authorizeNet;
    rig.store.invoices.upsertInvoice(ALBUM, new Date().toISOString());
  }, 60_000);
  afterAll(() => rig?.dispose());

  const centralHasEverything = async (): Promise<void> => {
    const db = sqlOf(rig.database.pool);
    await until(
      async () => {
        const kiosk = kioskTotals(rig.store);
        const central = await centralTotals(db, [DEVICE]);
        return kiosk.unsynced === 0 && central.count === kiosk.count && central.revisions === kiosk.revisions;
      },
      "every record at central",
      30_000,
    );
  };

  const refund = (of: ChargeOutcome, amountMinor: number) =>
    rig.cards.charger.refund(draft(amountMinor, { kind: "refund", refundOf: of.record.id }), MANAGER);

  it("refunds above the limit through central, below it at the kiosk, and every record reaches central", async () => {
    const read = await rig.swipe(fullSwipe(TEST_CARDS.visa));
    const paid = await withSwipeSource(read, (source) => rig.cards.charger.pay(draft(8_000), STAFF, source));
    expect(paid).toMatchObject({ kind: "approved", record: { status: "completed" } });
    const chargeId = paid.record.method.type === "card" ? paid.record.method.processorReference : null;
    await centralHasEverything(); // central refunds only a payment it holds
    simulator.settle(); // Authorize.Net refunds settled charges only

    // The kiosk's own way to Authorize.Net is cut: what is refunded now, central refunded.
    rig.processorCapture.setCut(true);
    const large = await refund(paid, 6_000);
    expect(large).toMatchObject({
      kind: "approved",
      record: { kind: "refund", status: "completed", amount: { minor: 6_000 } },
    });
    const [made] = simRefunds(simulator);
    expect(made).toMatchObject({
      amountMinor: 6_000,
      refTransId: chargeId,
      // Under the kiosk's refund intent key, so the kiosk could look it up after a lost answer.
      invoiceNumber: referenceOf(`refund:${large.record.id}`),
      // The original charge's card: the request never names one.
      card: { last4: TEST_CARDS.visa.pan.slice(-4) },
    });
    expect(large.record.method.type === "card" && large.record.method.processorReference).toBe(made?.transId);
    const asked = capturedPublishes(rig.mqttCapture).filter((publish) =>
      publish.topic.endsWith(`/${DEVICE}/up/cards/operations`),
    );
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.map((publish) => publish.payload.toString("utf8")).join("\n")).toContain(chargeId ?? "?");

    // Within the limit the kiosk refunds itself: with its way cut, nothing is refunded.
    const small = await refund(paid, 1_000);
    expect(small).toMatchObject({
      kind: "declined",
      record: { declineCode: ErrorCodes.PROCESSOR_UNAVAILABLE },
    });
    expect(simRefunds(simulator)).toHaveLength(1);
    rig.processorCapture.setCut(false);
    await rig.cards.tick();
    const again = await refund(paid, 1_000);
    expect(again).toMatchObject({ kind: "approved", record: { status: "completed" } });
    expect(simRefunds(simulator)).toHaveLength(2);

    // More than is left of the payment is refused before anyone is asked; nothing more goes back.
    await expect(refund(paid, 7_900)).rejects.toMatchObject({ code: ErrorCodes.REFUND_EXCEEDS_NET_PAID });
    expect(simRefunds(simulator)).toHaveLength(2);

    await centralHasEverything();
    const db = sqlOf(rig.database.pool);
    const [row] = await db.query<{ status: string; amount_minor: string }>(
      "SELECT status, amount_minor FROM payment_records WHERE id = $1",
      [large.record.id],
    );
    expect(row).toMatchObject({ status: "completed", amount_minor: "6000" });
  }, 90_000);
});
