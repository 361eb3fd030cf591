import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChargeOutcome } from "../../src/checkout/cards/charge-outcome.js";
import { withSwipeSource } from "../../src/checkout/cards/swipe-source.js";
import {
  TEST_CARDS as READER_CARDS,
  type TestCard,
} from "../../src/drivers/card-reader/fixtures/test-cards.js";
import { fullSwipe, magneSafeSwipe, track1, track2 } from "../../src/drivers/card-reader/swipe-builder.js";
import { maskDigits } from "../../src/payments/card/masked-pan.js";
import type { PaymentDraftInput } from "../../src/payments/payment-draft.js";
import { studioToday } from "../../src/payments/studio-date.js";
import { databasePath } from "../../src/store/kiosk-store.js";
import { REASON_CODE_CARD } from "../fixtures/authorize-net-test-cards.js";
import { cardDataNeedles, filesUnder, occurrences, type Scanned, scan } from "../helpers/card-data-scan.js";
import { captureStreams, checkpointAndReadSqlite, readCentralRows } from "../helpers/card-data-sources.js";
import { centralTotals, sqlOf } from "../helpers/central-queries.js";
import { kioskTotals } from "../helpers/kiosk-store.js";
import { invoice, STAFF } from "../helpers/payments.js";
import { type ScanKiosk, startScanKiosk } from "../helpers/scan-kiosk.js";
import { until } from "../helpers/wait.js";

/**
 * The card-data scan, run with the Authorize.Net processor: a kiosk wired as in a studio (reader on a
 * socat pty, a private Mosquitto and the Authorize.Net simulator each behind a capture, central on
 * PostgreSQL, a debug log) takes plain and MagneSafe swipes of every test card and reason, refunds,
 * voids, an offline period, saved and keyed cards and a due future payment; then nothing in the data
 * directory, SQLite, the log, the broker's log, the captures or central holds a card number, track
 * data or a CVC. The simulator also hands the test every request as it read it inside TLS: the
 * MagneSafe swipes' requests carry the reader's encrypted block and no card number at all.
 */
const DEVICE = "kiosk-card-scan-anet";
const MANAGER = { id: "mgr", role: "manager" } as const;
const DAY_MS = 24 * 3_600_000;
const TIME_ZONE = "America/Denver";

const stripe = (pan: string, label: string): TestCard & { label: string } => ({
  pan,
  name: "TESTER/AUTHNET",
  expiry: "3012",
  serviceCode: "201",
  label,
});
/** The reader's brands (approved), and the sandbox's reason-code card at each amount it is paid. */
const APPROVED = Object.entries(READER_CARDS).map(([brand, card]) => ({ ...card, label: `reader ${brand}` }));
const REASON_CARD = stripe(REASON_CODE_CARD, "reason-code card");
const REASONS: readonly { minor: number; outcome: ChargeOutcome["kind"] }[] = [
  { minor: 2_00, outcome: "declined" },
  { minor: 3_00, outcome: "declined" },
  { minor: 8_00, outcome: "declined" },
  { minor: 252_00, outcome: "declined" },
  { minor: 9_99, outcome: "approved" },
];
const KEYED = { pan: "5424000000000015", expiry: "11/31", cvc: "937" };
const ALL_PANS = [...new Set([...APPROVED.map((card) => card.pan), REASON_CODE_CARD, KEYED.pan])];
const TRACKS = [...APPROVED, REASON_CARD].flatMap((card) => [
  { label: `track 1 of ${card.label}`, text: track1(card).slice(1, -1) },
  { label: `track 2 of ${card.label}`, text: track2(card).slice(1, -1) },
  {
    label: `track 2 discretionary data of ${card.label}`,
    text: `=${track2(card).slice(1, -1).split("=")[1]}`,
  },
]);
const NEEDLES = cardDataNeedles({ pans: ALL_PANS, tracks: TRACKS, cvcs: [KEYED.cvc] });

const INVOICES = {
  walkIn: invoice({ id: "inv-anet-walk-in", number: "A-3001", totalMinor: 50_000_000 }),
  plan: invoice({
    id: "inv-anet-plan",
    number: "A-3002",
    client: { id: "client-anet-plan", firstName: "Eva", lastName: "Lund" },
  }),
};

const cardDraft = (
  invoiceId: string,
  amountMinor: number,
  extra: Partial<PaymentDraftInput> = {},
): PaymentDraftInput => ({
  kind: "payment",
  invoiceId,
  amountMinor,
  currency: "USD",
  methodId: "card",
  methodFields: { type: "card", entryMode: "swiped" },
  ...extra,
});

/** A form POST to the simulator's hosted form, as the staff screen's frame sends it. */
function postForm(url: string, fields: Record<string, string>, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(fields).toString();
    const outgoing = request(url, {
      method: "POST",
      ca,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(Buffer.byteLength(body)),
      },
    });
    outgoing.on("error", reject);
    outgoing.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
    outgoing.end(body);
  });
}

describe("no card data in storage, logs or on the network with the Authorize.Net processor", () => {
  let rig: ScanKiosk;
  const snapshots: Scanned[] = [];
  const snapshot = (phase: string): void => {
    snapshots.push(...filesUnder(rig.dataDir, `data@${phase}`));
  };
  /** The simulator's requests made by MagneSafe swipes (their references), to look inside. */
  const encryptedRecords: string[] = [];

  beforeAll(async () => {
    rig = await startScanKiosk(DEVICE, { processor: "authorize-net" });
    for (const each of Object.values(INVOICES))
      rig.store.invoices.upsertInvoice(each, new Date().toISOString());
  });
  afterAll(() => rig?.dispose());

  async function swipeAndPay(line: string, minor: number): Promise<ChargeOutcome> {
    const read = await rig.swipe(line);
    return withSwipeSource(read, (source) =>
      rig.cards.charger.pay(cardDraft(INVOICES.walkIn.id, minor), STAFF, source),
    );
  }

  it("charges plain and MagneSafe swipes of every brand and reason through Authorize.Net", async () => {
    for (const card of APPROVED) {
      expect((await swipeAndPay(fullSwipe(card), 1_500)).kind).toBe("approved");
      const encrypted = await swipeAndPay(magneSafeSwipe(card), 1_600);
      expect(encrypted.kind).toBe("approved");
      encryptedRecords.push(encrypted.record.id);
    }
    for (const reason of REASONS) {
      expect((await swipeAndPay(fullSwipe(REASON_CARD), reason.minor)).kind).toBe(reason.outcome);
      const encrypted = await swipeAndPay(magneSafeSwipe(REASON_CARD), reason.minor);
      expect(encrypted.kind).toBe(reason.outcome);
      encryptedRecords.push(encrypted.record.id);
    }
    const declines = rig.store.db
      .prepare("SELECT DISTINCT decline_code AS code FROM payment_records WHERE status = 'declined'")
      .all() as { code: string }[];
    expect(declines.map((row) => row.code).sort()).toEqual([
      "PROCESSOR_DECLINED",
      "PROCESSOR_DO_NOT_HONOR",
      "PROCESSOR_EXPIRED_CARD",
      "PROCESSOR_HELD_FOR_REVIEW",
    ]);
    snapshot("swipes");
  }, 120_000);

  it("voids today and refunds after settlement", async () => {
    const visa = APPROVED[0];
    if (!visa) throw new Error("no card");
    const voided = await swipeAndPay(fullSwipe(visa), 2_100);
    expect((await rig.cards.charger.void(voided.record.id, MANAGER)).status).toBe("voided");
    const refunded = await swipeAndPay(magneSafeSwipe(visa), 3_300);
    rig.authorizeNet?.settle();
    const refund = await rig.cards.charger.refund(
      { ...cardDraft(INVOICES.walkIn.id, 1_300), kind: "refund", refundOf: refunded.record.id },
      MANAGER,
    );
    expect(refund.kind).toBe("approved");
    snapshot("refunds-voids");
  }, 60_000);

  it("stores MagneSafe swipes while Authorize.Net is unreachable and forwards them later", async () => {
    const mastercard = APPROVED[1];
    if (!mastercard) throw new Error("no card");
    rig.processorCapture.setCut(true);
    const stored = await swipeAndPay(magneSafeSwipe(mastercard), 4_000);
    expect(stored.kind).toBe("stored-offline");
    encryptedRecords.push(stored.record.id);
    const plain = await rig.swipe(fullSwipe(mastercard));
    await expect(
      withSwipeSource(plain, (source) =>
        rig.cards.charger.pay(cardDraft(INVOICES.walkIn.id, 1_500), STAFF, source),
      ),
    ).rejects.toMatchObject({ code: "CARD_OFFLINE_NOT_ALLOWED" });
    snapshot("offline");
    rig.processorCapture.setCut(false);
    await rig.cards.tick();
    expect(rig.store.records.get(stored.record.id)?.status).toBe("completed");
    snapshot("forwarded");
  }, 60_000);

  it("saves a swiped card, takes a keyed card on the hosted form, and collects a due payment", async () => {
    const simulator = rig.authorizeNet;
    const amex = APPROVED.find((card) => card.pan.startsWith("3"));
    if (!simulator || !amex) throw new Error("no simulator or card");
    const saved = await withSwipeSource(await rig.swipe(fullSwipe(amex)), (source) =>
      rig.cards.processor.saveCard({
        idempotencyKey: `save:${randomUUID()}`,
        source,
        clientId: INVOICES.plan.client.id,
      }),
    );
    rig.store.savedCards.save(INVOICES.plan.client.id, saved, new Date().toISOString());

    const entry = await rig.cards.charger.startKeyedEntry("charge", { minor: 2_500, currency: "USD" });
    const token = entry.formFields?.token ?? "";
    expect(await postForm(entry.url, { token }, simulator.ca ?? "")).toContain('name="cardNumber"');
    const done = await postForm(
      `${entry.url}/submit`,
      { token, cardNumber: KEYED.pan, expirationDate: KEYED.expiry, cardCode: KEYED.cvc },
      simulator.ca ?? "",
    );
    expect(done).toContain("Card saved");
    expect((await rig.cards.charger.keyedEntryStatus(entry.sessionId, entry.collection)).state).toBe(
      "completed",
    );
    const keyed = await rig.cards.charger.pay(
      cardDraft(INVOICES.walkIn.id, 2_500, { methodFields: { type: "card", entryMode: "keyed" } }),
      STAFF,
      { kind: "hosted", sessionId: entry.sessionId },
    );
    expect(keyed.kind).toBe("approved");

    const tomorrow = studioToday(new Date(rig.clock.now().getTime() + DAY_MS), TIME_ZONE);
    const plan = rig.store.ledger.record(
      cardDraft(INVOICES.plan.id, 7_500, {
        futurePayment: true,
        dueDate: tomorrow,
        methodFields: { type: "card", entryMode: "keyed" },
      }),
      STAFF,
    );
    rig.clock.advance(2 * DAY_MS);
    await rig.cards.tick();
    expect(rig.store.records.get(plan.id)?.status).toBe("completed");
    snapshot("saved-keyed-collected");
  }, 60_000);

  it("delivers every record to central, and finds no card data anywhere", async () => {
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
    await rig.kiosk.stop();
    snapshot("stopped");
    const sqliteRows = checkpointAndReadSqlite(databasePath(rig.dataDir));
    const centralRows = await readCentralRows(rig.database.pool);
    const log: Scanned = { source: "log file", bytes: readFileSync(rig.logFile) };
    const brokerLog: Scanned = { source: "mosquitto log", bytes: Buffer.from(rig.brokerLog()) };
    const mqtt = captureStreams("mqtt", rig.mqttCapture);
    const processorWire = captureStreams("authorize-net", rig.processorCapture);
    const everything = [
      ...snapshots,
      ...sqliteRows,
      ...centralRows,
      log,
      brokerLog,
      ...mqtt,
      ...processorWire,
    ];
    expect(scan(everything, NEEDLES)).toEqual([]);

    // Inside TLS, as Authorize.Net reads them: no MagneSafe swipe's request carries a card number or
    // track, and each carries the reader's encrypted block.
    const { invoiceReference } = await import("../../src/processors/authorize-net/invoice-reference.js");
    const inside = rig.authorizeNetRequests.filter((body) =>
      encryptedRecords.some((id) => body.includes(invoiceReference(`sale:${id}`))),
    );
    expect(inside.length).toBeGreaterThanOrEqual(encryptedRecords.length);
    const insidePieces = inside.map((body, index) => ({
      source: `encrypted request ${index}`,
      bytes: Buffer.from(body),
    }));
    expect(scan(insidePieces, NEEDLES)).toEqual([]);
    for (const body of inside) {
      expect(body).toContain('"encryptedTrackData"');
      expect(body).not.toContain('"trackData"');
    }
    // Plain swipes did go as track data, inside TLS only: the capture holds none of it in clear.
    expect(rig.authorizeNetRequests.some((body) => body.includes('"trackData"'))).toBe(true);

    // It looked at real data: the masked numbers are where they should be.
    for (const mask of [...new Set(APPROVED.map((card) => maskDigits(card.pan)))]) {
      expect(occurrences(sqliteRows, mask), `${mask} in SQLite`).toBeGreaterThan(0);
      expect(occurrences(centralRows, mask), `${mask} at central`).toBeGreaterThan(0);
      expect(occurrences(mqtt, mask), `${mask} on MQTT`).toBeGreaterThan(0);
    }
    expect(rig.processorCapture.connections.length).toBeGreaterThan(0);
    expect(processorWire.reduce((bytes, piece) => bytes + piece.bytes.length, 0)).toBeGreaterThan(10_000);
  }, 60_000);
});
