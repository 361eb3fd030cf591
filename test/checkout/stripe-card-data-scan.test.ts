import { readFileSync } from "node:fs";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChargeOutcome } from "../../src/checkout/cards/charge-outcome.js";
import type { PaymentDraftInput } from "../../src/payments/payment-draft.js";
import { databasePath } from "../../src/store/kiosk-store.js";
import { cardDataNeedles, filesUnder, occurrences, type Scanned, scan } from "../helpers/card-data-scan.js";
import { captureStreams, checkpointAndReadSqlite, readCentralRows } from "../helpers/card-data-sources.js";
import { centralRecord, centralTotals, sqlOf } from "../helpers/central-queries.js";
import { kioskTotals } from "../helpers/kiosk-store.js";
import { capturedPublishes } from "../helpers/mqtt-capture.js";
import { CLIENT, invoice, STAFF } from "../helpers/payments.js";
import { type ScanKiosk, startScanKiosk } from "../helpers/scan-kiosk.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-stripe-scan";
const MANAGER = { id: "mgr", role: "manager" } as const;
const WALK_IN = invoice({ id: "inv-stripe-walk-in", number: "S-3001", totalMinor: 5_000_000 });

/** Every card a client presents at the smart reader, and what Stripe's test mode makes of it. */
const READER_CARDS: readonly { pan: string; last4: string; outcome: string }[] = [
  { pan: "4242424242424242", last4: "4242", outcome: "approved" },
  { pan: "5555555555554444", last4: "4444", outcome: "approved" },
  { pan: "378282246310005", last4: "0005", outcome: "approved" },
  { pan: "6011111111111117", last4: "1117", outcome: "approved" },
  { pan: "4000056655665556", last4: "5556", outcome: "approved" },
  { pan: "4000000000000002", last4: "0002", outcome: "PROCESSOR_DECLINED" },
  { pan: "4000000000009995", last4: "9995", outcome: "PROCESSOR_INSUFFICIENT_FUNDS" },
  { pan: "4000000000009987", last4: "9987", outcome: "PROCESSOR_DO_NOT_HONOR" },
  { pan: "4000000000000069", last4: "0069", outcome: "PROCESSOR_EXPIRED_CARD" },
  { pan: "4000000000000127", last4: "0127", outcome: "PROCESSOR_INVALID_CARD" },
  { pan: "4000000000000119", last4: "0119", outcome: "PROCESSOR_DECLINED" },
];
/** Typed by staff on Stripe's hosted page, with a CVC. */
const KEYED = { pan: "5200828282828210", cvc: "731" };

const NEEDLES = cardDataNeedles({
  pans: [...READER_CARDS.map((card) => card.pan), KEYED.pan],
  tracks: [],
  cvcs: [KEYED.cvc],
});

const cardDraft = (amountMinor: number, extra: Partial<PaymentDraftInput> = {}): PaymentDraftInput => ({
  kind: "payment",
  invoiceId: WALK_IN.id,
  amountMinor,
  currency: "USD",
  methodId: "card",
  methodFields: { type: "card", entryMode: "swiped" },
  ...extra,
});

describe("with Stripe's smart reader, no card data reaches the kiosk's storage, logs or network; refunds go through central", () => {
  let rig: ScanKiosk;
  let stripe: Stripe;
  let readerId: string;
  const snapshots: Scanned[] = [];
  const snapshot = (phase: string): void => {
    snapshots.push(...filesUnder(rig.dataDir, `data@${phase}`));
  };
  const approved: ChargeOutcome[] = [];

  beforeAll(async () => {
    rig = await startScanKiosk(DEVICE, { processor: "stripe" });
    if (!rig.stripe) throw new Error("no Stripe simulator");
    rig.store.invoices.upsertInvoice(WALK_IN, new Date().toISOString());
    readerId = rig.stripe.readers[0] as string;
    // The client at the reader: Stripe's test helper, straight to Stripe (never through the kiosk).
    stripe = new Stripe(rig.stripe.secretKey, {
      host: rig.stripe.host,
      port: rig.stripe.port,
      protocol: "http",
    });
  });
  afterAll(() => rig?.dispose());

  const tapAndPay = (pan: string, draft: PaymentDraftInput, channel = STAFF, cancel?: AbortSignal) =>
    rig.cards.charger.pay(draft, channel, {
      kind: "reader",
      readerId,
      ...(cancel ? { cancel } : {}),
      progress: (step) => {
        if (step === "waiting-for-card" && !cancel)
          void stripe.testHelpers.terminal.readers.presentPaymentMethod(readerId, {
            card_present: { number: pan },
          });
      },
    });

  it("takes every test card at the reader: approvals with brand and last 4, declines with their reasons", async () => {
    expect(rig.cards.smartReader?.id).toBe(readerId);
    for (const [index, card] of READER_CARDS.entries()) {
      const outcome = await tapAndPay(
        card.pan,
        cardDraft(1_000 + 10 * index),
        index % 2 === 0 ? STAFF : CLIENT,
      );
      if (card.outcome === "approved") {
        expect(outcome.kind, card.last4).toBe("approved");
        expect(outcome.record.method).toMatchObject({ type: "card", entryMode: "swiped", maskedPan: null });
        expect(outcome.record.method.type === "card" && outcome.record.method.processorReference).toMatch(
          /^pi_/,
        );
        approved.push(outcome);
      } else {
        expect(outcome, card.last4).toMatchObject({
          kind: "declined",
          record: { declineCode: card.outcome },
        });
      }
    }
    snapshot("reader");
  }, 60_000);

  it("lets staff cancel a collection, and charges a card keyed on Stripe's page", async () => {
    const staff = new AbortController();
    const cancelled = tapAndPay("4242424242424242", cardDraft(2_500), STAFF, staff.signal);
    await until(
      () => rig.stripe?.books.readers.get(readerId)?.action?.status === "in_progress",
      "the reader collecting",
      5_000,
    );
    staff.abort();
    expect(await cancelled).toMatchObject({
      kind: "declined",
      record: { declineCode: "CARD_COLLECTION_CANCELLED" },
    });

    const entry = await rig.cards.charger.startKeyedEntry("charge", { minor: 3_300, currency: "USD" });
    // Staff type on Stripe's own page: straight to Stripe, never through the kiosk.
    const typed = await fetch(entry.url, {
      method: "POST",
      body: new URLSearchParams({ number: KEYED.pan, exp: "09/31", cvc: KEYED.cvc }),
    });
    expect(await typed.text()).toContain("complete");
    const status = await rig.cards.charger.keyedEntryStatus(entry.sessionId, entry.collection);
    expect(status).toMatchObject({ state: "completed", card: { last4: "8210" } });
    const keyed = await rig.cards.charger.pay(
      cardDraft(3_300, { methodFields: { type: "card", entryMode: "keyed" } }),
      STAFF,
      { kind: "hosted", sessionId: entry.sessionId },
    );
    expect(keyed).toMatchObject({ kind: "approved", record: { method: { entryMode: "keyed" } } });
    approved.push(keyed);
    snapshot("keyed");
  }, 30_000);

  it("refunds and voids through central, which refuses a charge it does not hold or beyond the payment", async () => {
    const [first, second] = approved.map((outcome) => outcome.record);
    if (!first || !second) throw new Error("too few approved payments");
    const db = sqlOf(rig.database.pool);
    // Central refunds only what it holds: wait until both payments are there.
    await until(
      async () =>
        (await centralRecord(db, first.id)) !== null && (await centralRecord(db, second.id)) !== null,
      "the payments at central",
      20_000,
    );
    const refund = await rig.cards.charger.refund(
      { ...cardDraft(600), kind: "refund", refundOf: first.id },
      MANAGER,
    );
    expect(refund).toMatchObject({ kind: "approved", record: { kind: "refund", status: "completed" } });
    const refunds = [...(rig.stripe?.books.refunds.values() ?? [])];
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      amount: 600,
      metadata: { spectra_key: `refund:${refund.record.id}`, device_id: DEVICE },
    });
    expect(refund.record.method.type === "card" && refund.record.method.processorReference).toBe(
      refunds[0]?.id,
    );
    expect((await rig.cards.charger.void(second.id, MANAGER)).status).toBe("voided");
    expect([...(rig.stripe?.books.refunds.values() ?? [])].map((each) => each.amount)).toEqual([
      600,
      second.amount.minor,
    ]);

    // What a stolen kiosk (or a forged message) asks for is refused by central, and nothing moves.
    expect(
      await rig.cards.central.request({
        kind: "refund",
        idempotencyKey: "refund:forged-1",
        chargeId: "pi_0000000000000000000000",
        amount: { minor: 100, currency: "USD" },
        recordId: null,
      }),
    ).toMatchObject({ outcome: "refused", code: "CENTRAL_CARD_OPERATION_REFUSED" });
    const third = approved[2]?.record;
    if (third?.method.type !== "card") throw new Error("a third card payment");
    await until(
      async () => (await centralRecord(db, third.id)) !== null,
      "the third payment at central",
      20_000,
    );
    expect(
      await rig.cards.central.request({
        kind: "refund",
        idempotencyKey: "refund:forged-2",
        chargeId: third.method.processorReference as string,
        amount: { minor: third.amount.minor + 1, currency: "USD" },
        recordId: null,
      }),
    ).toMatchObject({ outcome: "refused", code: "REFUND_EXCEEDS_CARD_PAID" });
    expect(rig.stripe?.books.refunds.size).toBe(2);
  }, 60_000);

  it("delivers every record to central", async () => {
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
    snapshots.push(...filesUnder(rig.dataDir, "data@running"));
    await rig.kiosk.stop();
    snapshot("stopped");
  }, 40_000);

  it("finds no card number or CVC anywhere, and shows it looked", async () => {
    const sqliteRows = checkpointAndReadSqlite(databasePath(rig.dataDir));
    const centralRows = await readCentralRows(rig.database.pool);
    const log: Scanned = { source: "log file", bytes: readFileSync(rig.logFile) };
    const brokerLog: Scanned = { source: "mosquitto log", bytes: Buffer.from(rig.brokerLog()) };
    const mqtt = captureStreams("mqtt", rig.mqttCapture);
    const toStripe = captureStreams("stripe", rig.stripeCapture);
    const everything = [
      ...snapshots,
      ...sqliteRows,
      ...filesUnder(rig.dataDir, "data@checkpointed"),
      ...centralRows,
      log,
      brokerLog,
      ...mqtt,
      ...toStripe,
    ];
    expect(scan(everything, NEEDLES)).toEqual([]);

    // It looked at real data: each approved card's PaymentIntent and last 4 are where they should be.
    for (const outcome of approved) {
      const method = outcome.record.method;
      if (method.type !== "card") throw new Error("not a card record");
      const intent = method.processorReference as string;
      expect(occurrences(sqliteRows, intent), `${intent} in SQLite`).toBeGreaterThan(0);
      expect(occurrences(centralRows, intent), `${intent} at central`).toBeGreaterThan(0);
      expect(occurrences(toStripe, intent), `${intent} in the kiosk's Stripe traffic`).toBeGreaterThan(0);
    }
    const uplink = capturedPublishes(rig.mqttCapture)
      .filter((publish) => publish.flow === "to-target" && publish.topic.endsWith(`/${DEVICE}/up/records`))
      .map((publish) => publish.payload.toString("utf8"))
      .join("\n");
    for (const outcome of approved) expect(uplink).toContain(outcome.record.id);
    // The kiosk spoke to Stripe only of PaymentIntents, readers and pages: never a card.
    expect(occurrences(toStripe, "process_payment_intent")).toBeGreaterThanOrEqual(READER_CARDS.length);
    expect(occurrences(toStripe, '"last4"')).toBeGreaterThan(0);
    console.info(
      `stripe card-data scan: ${everything.length} pieces, ${everything.reduce((n, p) => n + p.bytes.length, 0)} bytes, ` +
        `${NEEDLES.length} needles, ${rig.stripeCapture.connections.length} connections to Stripe`,
    );
  }, 60_000);
});
