import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeadLetterDesk } from "../../src/central/dashboard/control/dead-letter-desk.js";
import { recentDeadLetters } from "../../src/central/dashboard/fleet/dead-letter-queries.js";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { openPostgres } from "../../src/central/db/postgres-db.js";
import { writeDeadLetters } from "../../src/central/dead-letters.js";
import { classify } from "../../src/central/ingest/incoming.js";
import { writeBatch } from "../../src/central/ingest/write-batch.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { systemClock } from "../../src/core/clock.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { newId } from "../../src/core/ids.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";
import { decodeMessage, encodeRecordBatch, type Outgoing } from "../../src/sync/protocol/codec.js";
import { expectKioskErrorAsync } from "../helpers/kiosk-error.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { sampleInvoice, sampleRecord } from "../helpers/sync-fixtures.js";

const KIOSK = "kiosk-replay";
const TOPIC = `spectra/v1/kiosks/${KIOSK}/up/records`;
const MAX_BYTES = 1024 * 1024;
const LOW_LIMIT = { maxAmountMinor: 10_000 };
const RAISED_LIMIT = { maxAmountMinor: 1_000_000 };

describe("dead letters: replay after a fix, dismiss with a reason (PostgreSQL)", () => {
  let database: TestDatabase;
  let db: CentralDb;
  const published: Outgoing[] = [];
  const invoice = sampleInvoice();
  const now = () => new Date().toISOString();

  /** The desk as the dashboard makes it, with ingest's limits as configured now. */
  const desk = (limits = LOW_LIMIT, publish = true) =>
    new DeadLetterDesk({
      db,
      ingest: { maxMessageBytes: MAX_BYTES, limits },
      publish: async (message) => {
        if (publish) published.push(message);
        return publish;
      },
      clock: systemClock,
      logger: createMemoryLogger(),
    });

  /** A batch as the kiosk sends it, through ingest's own classify and writeBatch. */
  const ingest = async (records: PaymentRecord[], limits = LOW_LIMIT) => {
    const message = encodeRecordBatch(
      KIOSK,
      records.map((record) => JSON.stringify(record)),
      { messageId: newId(), sentAt: now() },
    );
    return writeBatch(db, [classify(message.topic, Buffer.from(message.body), MAX_BYTES, limits)], now());
  };

  const letterOf = async (recordId: string) => {
    const rows = await db.query<{
      id: unknown;
      status: string;
      code: string;
      reason: string;
      replay_attempts: number;
      resolved_by: string | null;
      resolution: string | null;
    }>(
      "SELECT id, status, code, reason, replay_attempts, resolved_by, resolution FROM dead_letters WHERE record_id = $1",
      [recordId],
    );
    expect(rows).toHaveLength(1);
    const [row] = rows;
    if (!row) throw new Error("no letter");
    return { ...row, id: String(row.id) };
  };
  const storedCount = async (recordId: string) =>
    Number(
      (
        await db.query<{ n: unknown }>("SELECT count(*) AS n FROM payment_records WHERE id = $1", [recordId])
      )[0]?.n,
    );
  const audit = async (letterId: string) =>
    db.query<{
      action: string;
      user_name: string;
      device_id: string | null;
      detail: Record<string, unknown>;
    }>(
      "SELECT action, user_name, device_id, detail FROM dashboard_audit WHERE detail ->> 'letterId' = $1 ORDER BY id",
      [letterId],
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openPostgres({ url: database.url, poolSize: 3, logger: createMemoryLogger() });
    await migrateCentral(db, createMemoryLogger());
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it("keeps a record refused by central's limit open with the new reason, and stores it once the limit is raised", async () => {
    const record = sampleRecord(invoice, KIOSK, 50_000);
    const first = await ingest([record]);
    expect(first.acks[0]?.ack.results[0]).toMatchObject({ recordId: record.id, outcome: "rejected" });
    const letter = await letterOf(record.id);
    expect(letter).toMatchObject({
      status: "open",
      code: ErrorCodes.SYNC_RECORD_INVALID,
      replay_attempts: 0,
    });

    // Not fixed yet: the replay runs every check again and is refused again.
    const again = await desk(LOW_LIMIT).replay(letter.id, "ops@studio");
    expect(again).toMatchObject({ replayed: false, code: ErrorCodes.SYNC_RECORD_INVALID });
    expect(again.replayed ? "" : again.reason).toMatch(/10000|amount/i);
    expect(await letterOf(record.id)).toMatchObject({ status: "open", replay_attempts: 1 });
    expect(await storedCount(record.id)).toBe(0);
    expect(published).toHaveLength(0);

    // central.ingest.maxAmountMinor raised: the replay stores it, once, and tells the kiosk.
    const done = await desk(RAISED_LIMIT).replay(letter.id, "ops@studio");
    expect(done).toEqual({ replayed: true, outcomes: { stored: 1 }, kioskTold: true });
    expect(await storedCount(record.id)).toBe(1);
    expect(await letterOf(record.id)).toMatchObject({
      status: "replayed",
      resolved_by: "ops@studio",
      replay_attempts: 2,
    });
    const [ack] = published.splice(0);
    if (!ack) throw new Error("no ack published");
    const read = decodeMessage(ack.topic, Buffer.from(ack.body), { direction: "down", maxBytes: MAX_BYTES });
    expect(read.ok && read.value.kind === "recordAck" && read.value.payload.results).toEqual([
      { recordId: record.id, revision: 1, outcome: "stored" },
    ]);
    expect((await audit(letter.id)).map((row) => [row.action, row.user_name, row.detail.result])).toEqual([
      ["dead-letter-replay", "ops@studio", "still refused"],
      ["dead-letter-replay", "ops@studio", "replayed"],
    ]);
    expect((await audit(letter.id))[0]?.detail.code).toBe(ErrorCodes.SYNC_RECORD_INVALID);

    // Resolved: a second replay is refused with a code and writes nothing.
    await expectKioskErrorAsync(
      () => desk(RAISED_LIMIT).replay(letter.id, "ops@studio"),
      ErrorCodes.DEAD_LETTER_RESOLVED,
    );
    expect(await storedCount(record.id)).toBe(1);
    expect(await audit(letter.id)).toHaveLength(2);
  });

  it("keeps a record the database refused, until the refusal is fixed; then stores it exactly once", async () => {
    const record = sampleRecord(invoice, KIOSK, 4242);
    await db.exec("ALTER TABLE payment_records ADD CONSTRAINT no_4242 CHECK (amount_minor <> 4242)");
    try {
      // What ingest's isolation writes for it (refused-by-database.ts): a letter with the record.
      await writeDeadLetters(
        db,
        [
          {
            code: ErrorCodes.SYNC_RECORD_INVALID,
            reason: "central's database refused it: 23514 new row violates check constraint",
            topic: TOPIC,
            deviceId: KIOSK,
            messageId: newId(),
            recordId: record.id,
            revision: 1,
            payload: Buffer.from(JSON.stringify(record)),
          },
        ],
        now(),
      );
      const letter = await letterOf(record.id);
      const still = await desk().replay(letter.id, "ops@studio");
      expect(still).toMatchObject({ replayed: false, code: ErrorCodes.SYNC_RECORD_INVALID });
      expect(still.replayed ? "" : still.reason).toContain("no_4242");
      expect(await letterOf(record.id)).toMatchObject({ status: "open", replay_attempts: 1 });
      expect(await storedCount(record.id)).toBe(0);
    } finally {
      await db.exec("ALTER TABLE payment_records DROP CONSTRAINT no_4242");
    }
    const letter = await letterOf(record.id);
    expect(await desk().replay(letter.id, "ops@studio")).toMatchObject({
      replayed: true,
      outcomes: { stored: 1 },
    });
    expect(await storedCount(record.id)).toBe(1);
    expect(
      await db.query("SELECT 1 FROM payment_record_revisions WHERE record_id = $1", [record.id]),
    ).toHaveLength(1);
    published.length = 0;
  });

  it("resolves a letter whose record central already holds as a duplicate, writing nothing twice", async () => {
    const record = sampleRecord(invoice, KIOSK, 700);
    expect((await ingest([record])).outcomes.stored).toBe(1);
    await writeDeadLetters(
      db,
      [
        {
          code: ErrorCodes.SYNC_RECORD_INVALID,
          reason: "an earlier refusal",
          topic: TOPIC,
          deviceId: KIOSK,
          messageId: newId(),
          recordId: record.id,
          revision: 1,
          payload: Buffer.from(JSON.stringify(record)),
        },
      ],
      now(),
    );
    const letter = await letterOf(record.id);
    // The broker is not taking messages: the replay still resolves, and says the kiosk was not told.
    expect(await desk(LOW_LIMIT, false).replay(letter.id, "ops@studio")).toEqual({
      replayed: true,
      outcomes: { duplicate: 1 },
      kioskTold: false,
    });
    expect(await storedCount(record.id)).toBe(1);
  });

  it("lets only one of two replays at once resolve a letter: the record is stored once, audited once", async () => {
    const record = sampleRecord(invoice, KIOSK, 30_000);
    await ingest([record]);
    const letter = await letterOf(record.id);
    const results = await Promise.allSettled([
      desk(RAISED_LIMIT).replay(letter.id, "ops@studio"),
      desk(RAISED_LIMIT).replay(letter.id, "admin@studio"),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const [lost] = results.filter((result) => result.status === "rejected");
    expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: ErrorCodes.DEAD_LETTER_RESOLVED });
    expect(await storedCount(record.id)).toBe(1);
    expect(await letterOf(record.id)).toMatchObject({ status: "replayed", replay_attempts: 1 });
    expect(await audit(letter.id)).toHaveLength(1);
    published.length = 0;
  });

  it("keeps a changed record a conflict: still refused, with the conflict's code", async () => {
    const record = sampleRecord(invoice, KIOSK, 800);
    await ingest([record]);
    const changed = { ...record, note: "changed after it was sent" };
    await ingest([changed]);
    const letter = await letterOf(record.id);
    expect(letter.code).toBe(ErrorCodes.SYNC_RECORD_CONFLICT);
    expect(await desk().replay(letter.id, "ops@studio")).toMatchObject({
      replayed: false,
      code: ErrorCodes.SYNC_RECORD_CONFLICT,
    });
    expect((await db.query("SELECT note FROM payment_records WHERE id = $1", [record.id]))[0]).toEqual({
      note: record.note,
    });
  });

  it("refuses to replay a cut excerpt or bytes card data was removed from, and keeps them", async () => {
    const big = sampleRecord(invoice, KIOSK, 900, { note: "x".repeat(200) });
    const cut = Buffer.from(JSON.stringify({ ...big, padding: "y".repeat(70 * 1024) }));
    const card = sampleRecord(invoice, KIOSK, 901, { note: "card 4111 1111 1111 1111 said aloud" });
    await writeDeadLetters(
      db,
      [
        {
          code: "SYNC_MESSAGE_TOO_LARGE",
          reason: "too large",
          topic: TOPIC,
          deviceId: KIOSK,
          messageId: null,
          recordId: big.id,
          revision: 1,
          payload: cut,
        },
        {
          code: "SYNC_RECORD_INVALID",
          reason: "card data",
          topic: TOPIC,
          deviceId: KIOSK,
          messageId: null,
          recordId: card.id,
          revision: 1,
          payload: Buffer.from(JSON.stringify(card)),
        },
      ],
      now(),
    );
    for (const record of [big, card]) {
      const letter = await letterOf(record.id);
      const error = await expectKioskErrorAsync(
        () => desk(RAISED_LIMIT).replay(letter.id, "ops@studio"),
        ErrorCodes.DEAD_LETTER_NOT_REPLAYABLE,
      );
      expect(error.message).toMatch(
        record === big ? /only the first 65536 of its \d+ bytes/ : /card data was removed/,
      );
      expect(await letterOf(record.id)).toMatchObject({ status: "open", replay_attempts: 0 });
      expect(await storedCount(record.id)).toBe(0);
    }
    const views = await recentDeadLetters(db, { deviceId: KIOSK, code: null, limit: 50 });
    expect(views.find((view) => view.recordId === big.id)?.notReplayable).toBe("only an excerpt was kept");
    expect(views.find((view) => view.recordId === card.id)?.notReplayable).toBe(
      "card data was removed from it",
    );
  });

  it("dismisses only with a reason, hides it from the open list, audits it, and refuses hostile ids", async () => {
    const record = sampleRecord(invoice, KIOSK, 60_000);
    await ingest([record]);
    const letter = await letterOf(record.id);
    for (const blank of ["", "   \n "])
      await expectKioskErrorAsync(
        () => desk().dismiss(letter.id, "ops@studio", blank),
        ErrorCodes.DEAD_LETTER_REASON_REQUIRED,
      );
    expect(await letterOf(record.id)).toMatchObject({ status: "open" });
    await desk().dismiss(letter.id, "ops@studio", "  Refunded by hand; card 4111111111111111 was quoted  ");
    const dismissed = await letterOf(record.id);
    expect(dismissed).toMatchObject({ status: "dismissed", resolved_by: "ops@studio" });
    expect(dismissed.resolution).toBe("Refunded by hand; card 411111******1111 was quoted");
    const open = await recentDeadLetters(db, { deviceId: KIOSK, code: null, limit: 50 });
    expect(open.map((view) => view.id)).not.toContain(letter.id);
    const resolved = await recentDeadLetters(db, {
      deviceId: KIOSK,
      code: null,
      status: "resolved",
      limit: 50,
    });
    expect(resolved.find((view) => view.id === letter.id)).toMatchObject({
      status: "dismissed",
      resolution: "Refunded by hand; card 411111******1111 was quoted",
    });
    expect(await audit(letter.id)).toEqual([
      {
        action: "dead-letter-dismiss",
        user_name: "ops@studio",
        device_id: KIOSK,
        detail: { letterId: letter.id, reason: "Refunded by hand; card 411111******1111 was quoted" },
      },
    ]);
    await expectKioskErrorAsync(
      () => desk().dismiss(letter.id, "ops@studio", "again"),
      ErrorCodes.DEAD_LETTER_RESOLVED,
    );
    await expectKioskErrorAsync(
      () => desk().replay(letter.id, "ops@studio"),
      ErrorCodes.DEAD_LETTER_RESOLVED,
    );
    expect(await storedCount(record.id)).toBe(0);
    for (const hostile of [
      "abc",
      "0",
      "-1",
      "1e3",
      "99999999999999999999",
      "1; DROP TABLE dead_letters",
      "424242424242",
    ])
      await expectKioskErrorAsync(() => desk().replay(hostile, "ops@studio"), ErrorCodes.DEAD_LETTER_UNKNOWN);
  });
});
