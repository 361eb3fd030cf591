import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChargeOutcome } from "../../src/checkout/cards/charge-outcome.js";
import { withSwipeSource } from "../../src/checkout/cards/swipe-source.js";
import { fullSwipe, magneSafeSwipe, track1, track2 } from "../../src/drivers/card-reader/swipe-builder.js";
import { maskDigits } from "../../src/payments/card/masked-pan.js";
import type { PaymentDraftInput } from "../../src/payments/payment-draft.js";
import { studioToday } from "../../src/payments/studio-date.js";
import type { RunningAuthorizeNetSimulator } from "../../src/processors/authorize-net-simulator/authorize-net-simulator.js";
import { databasePath } from "../../src/store/kiosk-store.js";
import { keyOnHostedForm } from "../helpers/authorize-net.js";
import { cardDataNeedles, filesUnder, occurrences, type Scanned, scan } from "../helpers/card-data-scan.js";
import { captureStreams, checkpointAndReadSqlite, readCentralRows } from "../helpers/card-data-sources.js";
import { simCharges, simRefunds } from "../helpers/card-payments.js";
import { centralTotals, sqlOf } from "../helpers/central-queries.js";
import { type CliProcess, spawnCli } from "../helpers/cli-process.js";
import { kioskTotals, scratchDir } from "../helpers/kiosk-store.js";
import { capturedPublishes } from "../helpers/mqtt-capture.js";
import { CLIENT, invoice, STAFF } from "../helpers/payments.js";
import { type ScanKiosk, startScanKiosk } from "../helpers/scan-kiosk.js";
import { until } from "../helpers/wait.js";
import {
  ALL_TEST_PANS,
  CVC_VALUES,
  EXPIRED_CARD,
  KEYED_CARDS,
  type KeyedCard,
  SWIPED_CARDS,
} from "./fixtures/scan-cards.js";

const DEVICE = "kiosk-card-scan";
const MANAGER = { id: "mgr", role: "manager" } as const;
const DAY_MS = 24 * 3_600_000;
const TIME_ZONE = "America/Denver"; // config/default.json's studio

/** Invoices of four clients: one pays as it goes, the others keep a card on file for a payment plan. */
const INVOICES = {
  walkIn: invoice({ id: "inv-walk-in", number: "S-2001", totalMinor: 5_000_000 }),
  swipeSaved: invoice({
    id: "inv-plan-1",
    number: "S-2002",
    client: { id: "client-plan-1", firstName: "Bea", lastName: "Ito" },
  }),
  keyedSaved: invoice({
    id: "inv-plan-2",
    number: "S-2003",
    client: { id: "client-plan-2", firstName: "Cy", lastName: "Ode" },
  }),
  keyedDecline: invoice({
    id: "inv-plan-3",
    number: "S-2004",
    client: { id: "client-plan-3", firstName: "Di", lastName: "Amo" },
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

/** Every track body the suite swipes (clear tracks only ever exist on the pty), and their tails. */
const TRACKS = [...SWIPED_CARDS, EXPIRED_CARD].flatMap((card) => [
  { label: `track 1 of ${card.label}`, text: track1(card).slice(1, -1) },
  { label: `track 1 (padded name) of ${card.label}`, text: track1(card, { padName: true }).slice(1, -1) },
  { label: `track 2 of ${card.label}`, text: track2(card).slice(1, -1) },
  {
    label: `track 1 discretionary data of ${card.label}`,
    text: track1(card).slice(1, -1).split("^")[2] ?? "",
  },
  {
    label: `track 2 discretionary data of ${card.label}`,
    text: `=${track2(card).slice(1, -1).split("=")[1]}`,
  },
]);
const NEEDLES = cardDataNeedles({ pans: ALL_TEST_PANS, tracks: TRACKS, cvcs: CVC_VALUES });

/**
 * The whole card suite through the kiosk's card processor, Authorize.Net (its simulator over TLS,
 * behind a capture), then a scan of everything for card data. `card-data-scan-authorize-net.test.ts`
 * also looks inside TLS at what Authorize.Net receives.
 */
describe("no card data in storage, logs or on the network after the whole card suite", () => {
  let rig: ScanKiosk;
  let simulator: RunningAuthorizeNetSimulator;
  /** Raw copies of every file in the data directory, taken after each phase of the suite. */
  const snapshots: Scanned[] = [];
  const snapshot = (phase: string): void => {
    snapshots.push(...filesUnder(rig.dataDir, `data@${phase}`));
  };
  const approvedIds: string[] = [];
  let child: CliProcess | undefined;
  /** What central must have received: every record id and saved card token of the kiosk. */
  let records: string[] = [];
  let tokens: string[] = [];

  beforeAll(async () => {
    rig = await startScanKiosk(DEVICE);
    if (!rig.authorizeNet) throw new Error("the scan kiosk charges through Authorize.Net");
    simulator = rig.authorizeNet;
    for (const each of Object.values(INVOICES))
      rig.store.invoices.upsertInvoice(each, new Date().toISOString());
  });
  afterAll(async () => {
    await child?.kill("SIGKILL");
    await rig?.dispose();
  });

  /** Swipes a line through the real pty and pays with what the kiosk's reader made of it. */
  async function swipeAndPay(
    line: string,
    draft: PaymentDraftInput,
    channel = STAFF,
  ): Promise<ChargeOutcome> {
    const read = await rig.swipe(line);
    const outcome = await withSwipeSource(read, (source) => rig.cards.charger.pay(draft, channel, source));
    if (outcome.kind === "approved") approvedIds.push(outcome.record.id);
    // A processor failure marks it unreachable: the background round's probe brings it back.
    if (!rig.cards.availability.online) await rig.cards.tick();
    return outcome;
  }

  async function keyOnHostedPage(purpose: "charge" | "save", card: KeyedCard, amountMinor: number | null) {
    const entry = await rig.cards.charger.startKeyedEntry(
      purpose,
      amountMinor === null ? null : { minor: amountMinor, currency: "USD" },
    );
    // Staff type on the processor's own form: straight to the processor, never through the kiosk.
    await keyOnHostedForm(simulator, entry, card.pan, {
      expirationDate: `${String(card.expMonth).padStart(2, "0")}/${String(card.expYear % 100)}`,
      cardCode: card.cvc,
    });
    const status = await rig.cards.charger.keyedEntryStatus(entry.sessionId, entry.collection);
    if (status.state !== "completed") throw new Error(`keyed entry ${status.state}`);
    return { sessionId: entry.sessionId, card: status.card };
  }

  it("takes swiped cards of every brand and test behaviour, plain track and MagneSafe-encrypted", async () => {
    for (const [index, card] of SWIPED_CARDS.entries()) {
      const channel = index % 2 === 0 ? STAFF : CLIENT;
      const plain = await swipeAndPay(fullSwipe(card), cardDraft(INVOICES.walkIn.id, 1_000 + index), channel);
      expect(plain.kind, `plain swipe of ${card.label}`).toBe(card.outcome);
      expect(plain.record.method).toMatchObject({ entryMode: "swiped", maskedPan: maskDigits(card.pan) });

      if (!card.magneSafe) continue;
      const encrypted = await swipeAndPay(
        magneSafeSwipe(card),
        cardDraft(INVOICES.walkIn.id, 2_000 + index),
        channel,
      );
      expect(encrypted.kind, `MagneSafe swipe of ${card.label}`).toBe(card.outcome);
      if (encrypted.kind === "declined") {
        expect(encrypted.record.declineCode).toBe(plain.kind === "declined" && plain.record.declineCode);
      }
    }
    const declines = rig.store.db
      .prepare("SELECT DISTINCT decline_code AS code FROM payment_records WHERE status = 'declined'")
      .all() as { code: string }[];
    // Every simulator decline reason was met (Authorize.Net has no insufficient funds: a general
    // decline), and the processing error (reason 19) declined as not charged.
    expect(declines.map((row) => row.code).sort()).toEqual(
      [
        "PROCESSOR_DECLINED",
        "PROCESSOR_DO_NOT_HONOR",
        "PROCESSOR_EXPIRED_CARD",
        "PROCESSOR_INVALID_CARD",
        "PROCESSOR_UNAVAILABLE",
      ].sort(),
    );
    snapshot("swipes");
  }, 120_000);

  it("refuses expired, mismatched, broken and over-long swipes with a coded error, and reads the next", async () => {
    const [visa, mastercard] = SWIPED_CARDS;
    if (!visa || !mastercard) throw new Error("fixture cards missing");
    const rejected = [
      ["an expired card", fullSwipe(EXPIRED_CARD)],
      ["tracks of two cards", `${track1(visa)}${track2(mastercard)}`],
      ["a track cut short", `%B${visa.pan}^${visa.name}^`],
      ["an over-long line", `${fullSwipe(visa)}${"9".repeat(3_000)}`],
    ] as const;
    for (const [what, line] of rejected) {
      const error = await rig.swipe(line).then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(error, what).toMatchObject({ code: expect.stringMatching(/^(CARD|READER)_/) });
    }
    expect((await rig.swipe(fullSwipe(visa))).maskedPan).toBe(maskDigits(visa.pan));
    snapshot("rejected-swipes");
  }, 30_000);

  it("voids card payments today and refunds others after settlement, at the processor", async () => {
    const [first, second, third, fourth] = approvedIds;
    if (!first || !second || !third || !fourth) throw new Error("too few approved payments");
    // Authorize.Net voids what is not settled yet, and refunds only what is.
    for (const original of [third, fourth]) {
      expect((await rig.cards.charger.void(original, MANAGER)).status).toBe("voided");
    }
    simulator.settle();
    for (const [original, share] of [
      [first, 1],
      [second, 0.5],
    ] as const) {
      const paid = rig.store.records.get(original);
      if (!paid) throw new Error("lost a payment");
      const refund = await rig.cards.charger.refund(
        {
          ...cardDraft(INVOICES.walkIn.id, Math.round(paid.amount.minor * share)),
          kind: "refund",
          refundOf: original,
        },
        MANAGER,
      );
      expect(refund).toMatchObject({ kind: "approved", record: { kind: "refund", status: "completed" } });
    }
    expect(simRefunds(simulator)).toHaveLength(2);
    expect(simCharges(simulator).filter((charge) => charge.status === "voided")).toHaveLength(2);
    snapshot("refunds-voids");
  }, 60_000);

  it("stores reader-encrypted payments while the processor is unreachable and forwards them later", async () => {
    const mastercard = SWIPED_CARDS.find((card) => card.label === "reader mastercard");
    const declining = SWIPED_CARDS.find((card) => card.pan === "4000000000000002");
    if (!mastercard || !declining) throw new Error("fixture cards missing");
    rig.processorCapture.setCut(true);
    const good = await withSwipeSource(await rig.swipe(magneSafeSwipe(mastercard)), (source) =>
      rig.cards.charger.pay(cardDraft(INVOICES.walkIn.id, 4_000), STAFF, source),
    );
    expect(good.kind).toBe("stored-offline");
    const later = await withSwipeSource(await rig.swipe(magneSafeSwipe(declining)), (source) =>
      rig.cards.charger.pay(cardDraft(INVOICES.walkIn.id, 3_000), STAFF, source),
    );
    expect(later.kind).toBe("stored-offline");
    // A plain-track swipe is never stored for later: refused, and its number wiped.
    const plain = await rig.swipe(fullSwipe(mastercard));
    await expect(
      withSwipeSource(plain, (source) =>
        rig.cards.charger.pay(cardDraft(INVOICES.walkIn.id, 1_500), STAFF, source),
      ),
    ).rejects.toMatchObject({ code: "CARD_OFFLINE_NOT_ALLOWED" });
    expect(plain.secrets.available).toBe(false);
    snapshot("offline");

    rig.processorCapture.setCut(false);
    await rig.cards.tick();
    expect(rig.cards.availability.online).toBe(true);
    expect(rig.store.records.get(good.record.id)?.status).toBe("completed");
    expect(rig.store.records.get(later.record.id)?.status).toBe("declined");
    expect(rig.store.offlineCards.declinesToReview()).toEqual([
      expect.objectContaining({ recordId: later.record.id, outcome: "PROCESSOR_DECLINED" }),
    ]);
    snapshot("forwarded");
  }, 60_000);

  it("saves cards (swiped, and keyed on the hosted form), charges a keyed card, and collects future payments", async () => {
    const now = () => new Date().toISOString();
    // Swiped and saved to a customer profile: the track crosses inside TLS, the kiosk keeps the token.
    const visa = SWIPED_CARDS.find((card) => card.label === "reader visa");
    if (!visa) throw new Error("fixture card missing");
    const swiped = await withSwipeSource(await rig.swipe(fullSwipe(visa)), (source) =>
      rig.cards.processor.saveCard({
        idempotencyKey: `save:${randomUUID()}`,
        source,
        clientId: INVOICES.swipeSaved.client.id,
      }),
    );
    rig.store.savedCards.save(INVOICES.swipeSaved.client.id, swiped, now());
    const keyed = await keyOnHostedPage("save", KEYED_CARDS.approve, null);
    rig.store.savedCards.save(INVOICES.keyedSaved.client.id, keyed.card, now());
    const failing = await keyOnHostedPage("save", KEYED_CARDS.declining, null);
    rig.store.savedCards.save(INVOICES.keyedDecline.client.id, failing.card, now());

    // A keyed charge; the entry left waiting before it is cancelled at the processor.
    const abandoned = await rig.cards.charger.startKeyedEntry("charge", { minor: 2_500, currency: "USD" });
    const charge = await keyOnHostedPage("charge", KEYED_CARDS.approve, 2_500);
    expect((await rig.cards.processor.hostedEntryStatus(abandoned.sessionId)).state).toBe("cancelled");
    const keyedPayment = await rig.cards.charger.pay(
      cardDraft(INVOICES.walkIn.id, 2_500, { methodFields: { type: "card", entryMode: "keyed" } }),
      STAFF,
      { kind: "hosted", sessionId: charge.sessionId },
    );
    expect(keyedPayment).toMatchObject({ kind: "approved", record: { method: { entryMode: "keyed" } } });

    // Payment plans: due tomorrow, then the clock moves on and the background round collects them.
    const tomorrow = studioToday(new Date(rig.clock.now().getTime() + DAY_MS), TIME_ZONE);
    const plans = [INVOICES.swipeSaved, INVOICES.keyedSaved, INVOICES.keyedDecline].map((each) =>
      rig.store.ledger.record(
        cardDraft(each.id, 7_500, {
          futurePayment: true,
          dueDate: tomorrow,
          methodFields: { type: "card", entryMode: "keyed" },
        }),
        STAFF,
      ),
    );
    snapshot("plans-scheduled");
    rig.clock.advance(2 * DAY_MS);
    await rig.cards.tick();
    expect(plans.map((plan) => rig.store.records.get(plan.id)?.status)).toEqual([
      "completed",
      "completed",
      "scheduled", // declined: retried after the interval
    ]);
    snapshot("plans-collected");
  }, 60_000);

  it("delivers every record and saved card to central", async () => {
    const db = sqlOf(rig.database.pool);
    await until(
      async () => {
        const kiosk = kioskTotals(rig.store);
        const central = await centralTotals(db, [DEVICE]);
        return (
          kiosk.unsynced === 0 &&
          rig.store.savedCards.unsynced(100).length === 0 &&
          central.count === kiosk.count &&
          central.revisions === kiosk.revisions
        );
      },
      "every record and saved card at central",
      30_000,
    );
    records = (rig.store.db.prepare("SELECT id FROM payment_records").all() as { id: string }[]).map(
      (row) => row.id,
    );
    tokens = (rig.store.db.prepare("SELECT token FROM saved_cards").all() as { token: string }[]).map(
      (row) => row.token,
    );
    snapshot("synced");
  }, 40_000);

  it("runs on as `spectra-kiosk start`: the same data, reader, broker and processor, more swipes", async () => {
    // The live files, WAL and shared memory included, before anything checkpoints them.
    const live = filesUnder(rig.dataDir, "data@running");
    expect(live.map((file) => file.source)).toEqual(
      expect.arrayContaining(
        ["kiosk.sqlite", "kiosk.sqlite-wal", "kiosk.sqlite-shm"].map((f) => `data@running/${f}`),
      ),
    );
    expect(live.find((file) => file.source.endsWith("-wal"))?.bytes.length).toBeGreaterThan(0);
    snapshots.push(...live);
    await rig.kiosk.stop();
    snapshot("stopped");

    const reads = () => occurrences([{ source: "log", bytes: readFileSync(rig.logFile) }], '"card read"');
    const starts = () => occurrences([{ source: "log", bytes: readFileSync(rig.logFile) }], " in service");
    const startsBefore = starts();
    const connectionsBefore = rig.mqttCapture.connections.length;
    child = spawnCli(["start", "--config", rig.configFile]);
    await until(() => starts() > startsBefore, "the child kiosk in service", 20_000);
    // Until the child's reader has the port open, a line may go unread: swipe again until it is read.
    for (const card of SWIPED_CARDS) {
      for (const line of [fullSwipe(card), magneSafeSwipe(card)]) {
        const before = reads();
        await until(
          async () => {
            await rig.sendLine(line);
            return until(() => reads() > before, "a card read", 500, 20).then(
              () => true,
              () => false,
            );
          },
          `the child reading ${card.label}`,
          10_000,
          0,
        );
      }
    }
    // The child's agent and central went through the capture too.
    await until(
      () => rig.mqttCapture.connections.length >= connectionsBefore + 2,
      "the child on MQTT",
      10_000,
    );
    snapshot("child-running");
    await child.kill("SIGTERM");
    expect(child.child.exitCode).toBe(0);
    snapshot("child-stopped");
  }, 90_000);

  it("finds no card number, track data, CVC or PIN block anywhere, and shows it looked", async () => {
    const { dataDir, database } = rig;
    // Every row of every table through SQL, then the raw files once more after an explicit checkpoint.
    const sqliteRows = checkpointAndReadSqlite(databasePath(dataDir));
    const checkpointed = filesUnder(dataDir, "data@checkpointed");
    const centralRows = await readCentralRows(database.pool);
    const log: Scanned = { source: "log file", bytes: readFileSync(rig.logFile) };
    const childOutput: Scanned = { source: "child output", bytes: Buffer.from(child?.output() ?? "") };
    const brokerLog: Scanned = { source: "mosquitto log", bytes: Buffer.from(rig.brokerLog()) };
    const mqtt = captureStreams("mqtt", rig.mqttCapture);
    const processorWire = captureStreams("authorize-net", rig.processorCapture);

    const everything = [
      ...snapshots,
      ...sqliteRows,
      ...checkpointed,
      ...centralRows,
      log,
      brokerLog,
      childOutput,
      ...mqtt,
      ...processorWire,
    ];
    const findings = scan(everything, NEEDLES);
    expect(findings).toEqual([]);

    // It looked at real data: the masked numbers, tokens and records are where they should be.
    const masked = [...new Set(SWIPED_CARDS.map((card) => maskDigits(card.pan)))];
    for (const mask of masked) {
      expect(occurrences(sqliteRows, mask), `${mask} in SQLite`).toBeGreaterThan(0);
      expect(occurrences(centralRows, mask), `${mask} at central`).toBeGreaterThan(0);
      expect(occurrences(mqtt, mask), `${mask} on MQTT`).toBeGreaterThan(0);
      expect(occurrences([log], mask), `${mask} in the log`).toBeGreaterThan(0);
    }
    expect(tokens).toHaveLength(3);
    for (const token of tokens) {
      for (const [where, pieces] of [
        ["SQLite", sqliteRows],
        ["central", centralRows],
        ["MQTT", mqtt],
      ] as const) {
        expect(occurrences(pieces, token), `a saved card token in ${where}`).toBeGreaterThan(0);
      }
    }
    const publishes = capturedPublishes(rig.mqttCapture);
    const recordBatches = publishes.filter(
      (p) => p.flow === "to-target" && p.topic.endsWith(`/${DEVICE}/up/records`),
    );
    expect(recordBatches.length).toBeGreaterThan(0);
    const uplink = recordBatches.map((p) => p.payload.toString("utf8")).join("\n");
    expect(records.length).toBeGreaterThan(2 * SWIPED_CARDS.length);
    for (const id of records) expect(uplink).toContain(id);
    // Central's leg of the capture carries them too (the broker delivered through the proxy).
    expect(publishes.some((p) => p.flow === "to-client" && p.topic.endsWith("/up/records"))).toBe(true);
    // Plain swipes went to Authorize.Net as track data and MagneSafe swipes as the reader's ciphertext,
    // both inside TLS: the capture between them (scanned above) saw only TLS records.
    const inside = rig.authorizeNetRequests.map((body, index) => ({
      source: `request ${index}`,
      bytes: Buffer.from(body),
    }));
    expect(occurrences(inside, '"trackData"')).toBeGreaterThan(SWIPED_CARDS.length);
    expect(occurrences(inside, '"encryptedTrackData"')).toBeGreaterThan(SWIPED_CARDS.length);
    expect(processorWire.reduce((bytes, piece) => bytes + piece.bytes.length, 0)).toBeGreaterThan(10_000);
    expect(occurrences([log], '"card read"')).toBeGreaterThan(2 * SWIPED_CARDS.length);
    console.info(
      `card-data scan: ${everything.length} pieces, ${everything.reduce((n, p) => n + p.bytes.length, 0)} bytes, ` +
        `${NEEDLES.length} needles; ${records.length} records, ${recordBatches.length} record batches, ` +
        `${publishes.length} MQTT publishes, ${rig.processorCapture.connections.length} processor connections`,
    );
  }, 60_000);

  it("self-check: the scanner finds a card number planted in a scratch file, in every form", () => {
    const scratch = scratchDir("spectra-scan-plant-");
    try {
      const [pan] = ALL_TEST_PANS;
      const track = TRACKS.find((each) => each.label.startsWith("track 2 of"));
      if (!pan || !track) throw new Error("nothing to plant");
      const grouped = pan.replace(/(\d{4})(?=\d)/g, "$1 ");
      const plants = {
        "clear.txt": `payment ${pan} ok`,
        "grouped.txt": `typed ${grouped}`,
        "dashed.txt": `typed ${pan.replace(/(\d{4})(?=\d)/g, "$1-")}`,
        "track.bin": Buffer.concat([
          Buffer.from([0, 1, 2]),
          Buffer.from(`;${track.text}?`),
          Buffer.from([255]),
        ]),
        "hex.log": `buffer <${Buffer.from(pan).toString("hex")}>`,
        "base64.json": JSON.stringify({ blob: Buffer.from(`{"number":"${pan}"}`).toString("base64") }),
        "utf16.dat": Buffer.from(pan, "utf16le"),
        "cvc.json": JSON.stringify({ cvc: CVC_VALUES[0] }),
        "clean.json": JSON.stringify({ maskedPan: maskDigits(pan), token: "tok_123", pin: 17 }),
      };
      for (const [name, content] of Object.entries(plants)) writeFileSync(join(scratch.path, name), content);
      const findings = scan(filesUnder(scratch.path, "plant"), NEEDLES);
      const found = (file: string) => findings.filter((f) => f.source === `plant/${file}`).map((f) => f.form);
      expect(found("clear.txt")).toContain("clear");
      expect(found("grouped.txt")).toContain("clear");
      expect(found("dashed.txt")).toContain("clear");
      expect(findings.filter((f) => f.source === "plant/track.bin").map((f) => f.needle)).toEqual(
        expect.arrayContaining([track.label, expect.stringMatching(/^card number /)]),
      );
      expect(found("hex.log")).toContain("hex");
      expect(found("base64.json")).toContain("base64 clear");
      expect(found("utf16.dat")).toContain("utf-16");
      expect(found("cvc.json")).toEqual(expect.arrayContaining(["field"]));
      expect(found("clean.json")).toEqual([]);
      // A failure message names the card by its masked form only.
      expect(JSON.stringify(findings)).not.toContain(pan);
    } finally {
      scratch.remove();
    }
  });
});
