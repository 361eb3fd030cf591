import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCentral } from "../../src/central/central.js";
import { systemClock } from "../../src/core/clock.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { newId } from "../../src/core/ids.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";
import { decodeMessage, encodeRecordBatch } from "../../src/sync/protocol/codec.js";
import type { RecordAck } from "../../src/sync/protocol/messages.js";
import { deviceTopic } from "../../src/sync/protocol/topics.js";
import { centralRecord, deadLetters, sqlOf } from "../helpers/central-queries.js";
import { expectKioskError } from "../helpers/kiosk-error.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { ledgerOn, SETTINGS, type StoreWithLedger } from "../helpers/store.js";
import { sampleInvoice, sampleRecord } from "../helpers/sync-fixtures.js";
import { startTestCentral } from "../helpers/sync-harness.js";
import { until } from "../helpers/wait.js";

const ROGUE = "kiosk-rogue";
const VISA = "4111111111111111";
/** Central's own bound for this test: above it a record is refused even when the kiosk's limit allows it. */
const CENTRAL_MAX_MINOR = 50_000_000;

const invoice = sampleInvoice();
const usd = (minor: number) => ({ minor, currency: "USD" });
const base = () => sampleRecord(invoice, ROGUE, 4200);
const cash = (amountTendered: number, changeDue: number): Partial<PaymentRecord> => ({
  method: { type: "cash", amountTendered: usd(amountTendered), changeDue: usd(changeDue) },
});

/**
 * The attacks of issue #18 on a record's fields (what a kiosk's account could send), each with the
 * field the refusal must name. Records are written by hand: the kiosk's own code would refuse them.
 */
const ATTACKS: readonly { name: string; field: string; change: Record<string, unknown> }[] = [
  { name: "amount −5000", field: "amount.minor", change: { amount: usd(-5000), ...cash(0, 0) } },
  { name: "amount 0", field: "amount.minor", change: { amount: usd(0), ...cash(0, 0) } },
  {
    name: "amount 2^53−1",
    field: "amount.minor",
    change: { amount: usd(2 ** 53 - 1), method: { type: "cash", amountTendered: null, changeDue: null } },
  },
  {
    name: "an amount above central's maximum",
    field: "amount.minor",
    change: {
      amount: usd(CENTRAL_MAX_MINOR + 1),
      method: { type: "cash", amountTendered: null, changeDue: null },
    },
  },
  { name: "negative amount tendered", field: "method.amountTendered.minor", change: cash(-1, 0) },
  { name: "negative change", field: "method.changeDue.minor", change: cash(4200, -800) },
  { name: "negative overpayment", field: "overpayment.minor", change: { overpayment: usd(-100) } },
  { name: "revision 2^31", field: "revision", change: { revision: 2 ** 31 } },
  { name: "a card number in the note", field: "note", change: { note: `card ${VISA}` } },
  {
    name: "a spaced card number in a method's reference",
    field: "method.reference",
    change: { methodId: "gift", method: { type: "gift", reference: "4111 1111 1111 1111" } },
  },
  {
    name: "a card number as the check number",
    field: "method.checkNumber",
    change: { methodId: "check", method: { type: "check", checkNumber: "4222222222222" } },
  },
];

describe("every record field bounded at the edge: central refuses what a kiosk's account sends (Mosquitto, PostgreSQL)", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let central: RunningCentral;
  let rogue: MqttClient;
  const acks: RecordAck[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    central = await startTestCentral(database.url, broker.url, { maxAmountMinor: CENTRAL_MAX_MINOR });
    rogue = await connectAsync(broker.url, { protocolVersion: 5, clientId: ROGUE });
    rogue.on("message", (topic, payload) => {
      const decoded = decodeMessage(topic, payload, { direction: "down", maxBytes: 1 << 20 });
      if (decoded.ok && decoded.value.kind === "recordAck") acks.push(decoded.value.payload);
    });
    await rogue.subscribeAsync(deviceTopic(ROGUE, "down", "acks"), { qos: 1 });
  });

  afterAll(async () => {
    await rogue?.endAsync();
    await central?.stop();
    await broker?.dispose();
    await database?.drop();
  });

  const send = async (records: readonly unknown[]): Promise<string> => {
    const messageId = newId();
    const batch = encodeRecordBatch(
      ROGUE,
      records.map((record) => JSON.stringify(record)),
      { messageId, sentAt: new Date().toISOString() },
    );
    await rogue.publishAsync(batch.topic, batch.body, { qos: 1 });
    return messageId;
  };

  it("refuses each attack with a coded error, stores none of it, and stores the honest record beside them", async () => {
    const db = sqlOf(database.pool);
    const hostile = ATTACKS.map((attack) => ({ ...base(), ...attack.change }));
    const honest = base();
    const batchId = await send([...hostile, honest]);

    await until(
      async () => (await deadLetters(db)).length >= ATTACKS.length,
      "a dead letter per attack",
      30_000,
    );
    const letters = await db.query<{ code: string; reason: string; record_id: string | null }>(
      "SELECT code, reason, record_id FROM dead_letters ORDER BY id",
    );
    expect(letters).toHaveLength(ATTACKS.length);
    ATTACKS.forEach((attack, index) => {
      // Every letter names its record, even one whose revision is out of range (no ack can name that).
      const id = hostile[index]?.id;
      const letter = letters.find((row) => row.record_id === id && row.reason.includes(`${attack.field}: `));
      expect(letter, attack.name).toBeDefined();
      expect(letter?.code, attack.name).toBe(ErrorCodes.SYNC_RECORD_INVALID);
      expect(letter?.reason, attack.name).toContain(`${attack.field}: `);
    });

    // Nothing of any attack is stored, not even in the revision history.
    const ids = JSON.stringify(hostile.map((record) => record.id));
    const [stored] = await db.query<{ records: unknown; revisions: unknown }>(
      `SELECT (SELECT count(*) FROM payment_records WHERE id IN (SELECT json_array_elements_text($1::json))) AS records,
              (SELECT count(*) FROM payment_record_revisions WHERE record_id IN (SELECT json_array_elements_text($1::json))) AS revisions`,
      [ids],
    );
    expect(Number(stored?.records)).toBe(0);
    expect(Number(stored?.revisions)).toBe(0);
    expect(await centralRecord(db, honest.id)).toEqual(honest);

    // No full card number at central, whichever way it was written.
    const [cards] = await db.query<{ found: unknown }>(
      `SELECT count(*) AS found FROM dead_letters
       WHERE position('${VISA}' in encode(payload, 'escape')) > 0
          OR position('4111 1111 1111 1111' in encode(payload, 'escape')) > 0
          OR position('4222222222222' in encode(payload, 'escape')) > 0
          OR position('${VISA}' in reason) > 0`,
    );
    expect(Number(cards?.found)).toBe(0);

    // Every record that names itself within bounds is answered; the one whose revision is not is not.
    const results = () => acks.filter((ack) => ack.batchId === batchId).flatMap((ack) => ack.results);
    await until(() => results().length === ATTACKS.length, "the batch's acks");
    expect(results()).toEqual(
      expect.arrayContaining([
        { recordId: honest.id, revision: 1, outcome: "stored" },
        ...hostile
          .filter((record) => record.revision === 1)
          .map((record) =>
            expect.objectContaining({
              recordId: record.id,
              revision: 1,
              outcome: "rejected",
              code: ErrorCodes.SYNC_RECORD_INVALID,
            }),
          ),
      ]),
    );
    const outOfRange = hostile[ATTACKS.findIndex((attack) => attack.field === "revision")];
    expect(results().some((result) => result.recordId === outOfRange?.id)).toBe(false);

    // And ingest goes on: the next honest record is stored.
    const next = base();
    await send([next]);
    await until(async () => (await centralRecord(db, next.id)) !== null, "the next honest record");
    expect(central.workers[0]?.connected).toBe(true);
  }, 90_000);
});

describe("every record field bounded at the edge: the kiosk refuses the same before writing anything", () => {
  let dir: ReturnType<typeof scratchDir>;
  let store: StoreWithLedger;

  beforeAll(() => {
    dir = scratchDir();
    const tables = openTestStore(join(dir.path, "kiosk"), ROGUE);
    store = { ...tables, ledger: ledgerOn(tables, { ...SETTINGS, deviceId: ROGUE }, systemClock) };
    store.invoices.upsertInvoice(invoice, new Date().toISOString());
  });

  afterAll(() => {
    store?.close();
    dir?.remove();
  });

  const written = () =>
    ["payment_records", "outbox", "audit_log"].map(
      (table) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    );

  it("its store refuses every attack as a malformed record", () => {
    const before = written();
    for (const attack of ATTACKS.filter((attack) => attack.name !== "an amount above central's maximum")) {
      const record = { ...base(), ...attack.change } as PaymentRecord;
      const error = expectKioskError(
        () => store.db.transaction(() => store.records.insert(record, "csh"))(),
        ErrorCodes.PAYMENT_RECORD_INVALID,
      );
      expect(error.detail, attack.name).toContain(`${attack.field}: `);
      for (const digits of [VISA, "4111 1111", "4222222222222"]) expect(error.message).not.toContain(digits);
    }
    expect(written()).toEqual(before);
  });

  it("its payment rules refuse a card number in a note, and amounts of −5000, 0 and 2^53−1", () => {
    const before = written();
    const draft = (amountMinor: number, note: string | null = null) => ({
      kind: "payment",
      invoiceId: invoice.id,
      amountMinor,
      currency: "USD",
      methodId: "cash",
      methodFields: { type: "cash", amountTenderedMinor: null },
      note,
    });
    const staff = { kind: "staff", staffId: "csh" } as const;
    const error = expectKioskError(
      () => store.ledger.record(draft(4200, `paid with ${VISA.match(/.{4}/g)?.join("-")}`), staff),
      ErrorCodes.PAYMENT_CARD_NUMBER_IN_TEXT,
    );
    expect(error.context).toEqual({ field: "note" });
    expectKioskError(() => store.ledger.record(draft(-5000), staff), ErrorCodes.PAYMENT_AMOUNT_NOT_POSITIVE);
    expectKioskError(() => store.ledger.record(draft(0), staff), ErrorCodes.PAYMENT_AMOUNT_NOT_POSITIVE);
    expectKioskError(
      () => store.ledger.record(draft(2 ** 53 - 1), staff),
      ErrorCodes.PAYMENT_AMOUNT_OVER_LIMIT,
    );
    expect(written()).toEqual(before);
    // The same payment without the card number is taken.
    store.ledger.record(draft(4200, "paid with Visa ending 1111"), staff);
    expect(written()[0]).toBe((before[0] ?? 0) + 1);
  });
});
