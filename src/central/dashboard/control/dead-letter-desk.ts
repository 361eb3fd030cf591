import type { Clock } from "../../../core/clock.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { newId as makeId } from "../../../core/ids.js";
import { isKioskError, KioskError } from "../../../core/kiosk-error.js";
import type { Logger } from "../../../core/logger.js";
import type { RecordLimits } from "../../../payments/record/bounds.js";
import { encodeMessage, type Outgoing } from "../../../sync/protocol/codec.js";
import type { AckOutcome } from "../../../sync/protocol/messages.js";
import type { CentralDb, Sql } from "../../db/central-db.js";
import { type DeadLetter, storableText } from "../../dead-letters.js";
import { failureKind } from "../../ingest/db-errors.js";
import type { Incoming } from "../../ingest/incoming.js";
import { replayedMessage } from "../../ingest/replayed-message.js";
import { type BatchWritten, writeBatch } from "../../ingest/write-batch.js";
import { writeAudit } from "./audit-log.js";

/** The longest reason a dismissal keeps (the form takes no more either). */
export const DISMISS_REASON_MAX = 500;
/** Serialization failures and deadlocks retried at once, as ingest does. */
const QUICK_RETRIES = 5;

export type ReplayResult =
  | {
      readonly replayed: true;
      /** What ingest answered for each record of it (stored, duplicate, superseded). */
      readonly outcomes: Readonly<Partial<Record<AckOutcome, number>>>;
      /** Whether the kiosk was sent central's new answer (its record ack). */
      readonly kioskTold: boolean;
    }
  | { readonly replayed: false; readonly code: string; readonly reason: string };

export interface DeadLetterDeskDeps {
  readonly db: CentralDb;
  /** Ingest's limits as configured now: a replay is checked against today's, not the day's it failed. */
  readonly ingest: { readonly maxMessageBytes: number; readonly limits: RecordLimits };
  /** Publishes central's answer to the kiosk; false when the broker did not take it. */
  readonly publish: (message: Outgoing) => Promise<boolean>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId?: () => string;
}

interface LetterRow {
  id: unknown;
  status: string;
  topic: string;
  device_id: string | null;
  payload_bytes: number;
  payload: Uint8Array;
  payload_redacted: boolean | null;
}

const resolvedAlready = (id: string): KioskError =>
  new KioskError(
    ErrorCodes.DEAD_LETTER_RESOLVED,
    `Dead letter ${id} was already replayed or dismissed (perhaps just now, by someone else). Nothing changed.`,
    { letterId: id },
  );

const checkedId = (id: string): string => {
  if (!/^[1-9][0-9]{0,17}$/.test(id))
    throw new KioskError(ErrorCodes.DEAD_LETTER_UNKNOWN, "No such dead letter. Nothing changed.");
  return id;
};

/** Why a replay was refused again: a code and a reason, as a dead letter keeps them. */
interface Refusal {
  readonly code: string;
  readonly reason: string;
}

/** Why a replay still failed, in one line: the first refusal, and how many there were. */
function refusalOf(letters: readonly DeadLetter[]): Refusal {
  const [first] = letters;
  const code = storableText(first?.code ?? ErrorCodes.INTERNAL, 64);
  const why = first?.reason ?? "refused";
  const reason = letters.length > 1 ? `${letters.length} parts still refused; the first: ${why}` : why;
  return { code, reason: storableText(reason, 1000) };
}

/**
 * Works off dead letters from the dashboard. A replay runs the kept message through ingest again —
 * `classify` and `writeBatch`, so every check and the idempotency by id, revision and content hash
 * apply — and settles the letter in the same transaction: resolved if everything in it is now
 * stored (or was already: a duplicate), otherwise kept open with the new code and reason. A dismissal
 * needs a reason. Both are in the audit log, written in the transaction that changes the letter.
 */
export class DeadLetterDesk {
  readonly #newId: () => string;

  constructor(private readonly deps: DeadLetterDeskDeps) {
    this.#newId = deps.newId ?? makeId;
  }

  async replay(letterId: string, userName: string): Promise<ReplayResult> {
    const id = checkedId(letterId);
    const letter = await this.#load(id);
    const at = this.deps.clock.now().toISOString();
    const message = replayedMessage(
      {
        topic: letter.topic,
        payloadBytes: letter.payload_bytes,
        payload: letter.payload,
        payloadRedacted: letter.payload_redacted,
      },
      { ...this.deps.ingest, messageId: this.#newId(), sentAt: at },
    );
    if (!message.ok)
      throw new KioskError(
        ErrorCodes.DEAD_LETTER_NOT_REPLAYABLE,
        `Dead letter ${id} cannot be replayed: ${message.reason}. It stays open; dismiss it with a reason once it is dealt with.`,
        { letterId: id },
      );
    // Set inside the transaction, from the letters ingest's checks made of the replay.
    const settled: { refusal: Refusal | null } = { refusal: null };
    const written = await this.#write(id, message.incoming, at, async (tx, letters) => {
      settled.refusal = letters.length > 0 ? refusalOf(letters) : null;
      await this.#settle(tx, id, letter.device_id, userName, at, settled.refusal);
    });
    if ("refusedByDatabase" in written) {
      // Refused by the database for its data, as ingest would have found: it stays a dead letter.
      const failed = written.refusedByDatabase;
      await this.deps.db.transaction((tx) => this.#settle(tx, id, letter.device_id, userName, at, failed));
      return { replayed: false, ...failed };
    }
    if (settled.refusal !== null) return { replayed: false, ...settled.refusal };
    const kioskTold = await this.#tellKiosk(written, at);
    const outcomes: Partial<Record<AckOutcome, number>> = {};
    for (const [outcome, count] of Object.entries(written.outcomes) as [AckOutcome, number][])
      if (count > 0) outcomes[outcome] = count;
    this.deps.logger.info(`dead letter ${id} replayed by ${userName}`, { letterId: id });
    return { replayed: true, outcomes, kioskTold };
  }

  async dismiss(letterId: string, userName: string, reasonText: string): Promise<void> {
    const id = checkedId(letterId);
    const reason = storableText(reasonText.trim(), DISMISS_REASON_MAX);
    if (reason.length === 0)
      throw new KioskError(
        ErrorCodes.DEAD_LETTER_REASON_REQUIRED,
        "A dismissal needs a reason (what was done about it, or why nothing needs to be). Nothing changed.",
        { letterId: id },
      );
    const letter = await this.#load(id);
    const at = this.deps.clock.now().toISOString();
    await this.deps.db.transaction(async (tx) => {
      const changed = await tx.query(
        `UPDATE dead_letters SET status = 'dismissed', resolved_at = $2::timestamptz, resolved_by = $3, resolution = $4
         WHERE id = $1::bigint AND status = 'open' RETURNING id`,
        [id, at, userName, reason],
      );
      if (changed.length === 0) throw resolvedAlready(id);
      await writeAudit(tx, {
        at,
        userName,
        action: "dead-letter-dismiss",
        deviceId: letter.device_id,
        commandId: null,
        detail: { letterId: id, reason },
      });
    });
  }

  /**
   * Writes the replay through ingest's writeBatch, retrying transient conflicts at once as ingest
   * does. The database refusing its data (a CHECK, a value it cannot hold) comes back as a refusal;
   * a database that is unavailable is an error that changes nothing.
   */
  async #write(
    id: string,
    incoming: Incoming,
    at: string,
    settleLetters: (tx: Sql, letters: readonly DeadLetter[]) => Promise<void>,
  ): Promise<BatchWritten | { refusedByDatabase: Refusal }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await writeBatch(this.deps.db, [incoming], at, { settleLetters });
      } catch (error) {
        if (isKioskError(error)) throw error;
        const kind = failureKind(error);
        if (kind === "retry-now" && attempt < QUICK_RETRIES) continue;
        const why = storableText(String((error as Error | null)?.message ?? error), 1000);
        if (kind === "bad-data")
          return {
            refusedByDatabase: {
              code: ErrorCodes.SYNC_RECORD_INVALID,
              reason: storableText(`central's database refused it: ${why}`, 1000),
            },
          };
        throw new KioskError(
          ErrorCodes.CENTRAL_DB_UNAVAILABLE,
          `Central's database could not take the replay of dead letter ${id} just now (${why.slice(0, 200)}). Nothing changed; replay it again.`,
          { letterId: id },
          { cause: error },
        );
      }
    }
  }

  async #load(id: string): Promise<LetterRow> {
    const [row] = await this.deps.db.query<LetterRow>(
      `SELECT id, status, topic, device_id, payload_bytes, payload, payload_redacted FROM dead_letters WHERE id = $1::bigint`,
      [id],
    );
    if (!row) throw new KioskError(ErrorCodes.DEAD_LETTER_UNKNOWN, `No dead letter ${id}. Nothing changed.`);
    if (row.status !== "open") throw resolvedAlready(id);
    return row;
  }

  /** Resolves the letter (refusal null) or keeps it open with the new refusal; audited either way. */
  async #settle(
    tx: Sql,
    id: string,
    deviceId: string | null,
    userName: string,
    at: string,
    refusal: Refusal | null,
  ): Promise<void> {
    const changed =
      refusal === null
        ? await tx.query(
            `UPDATE dead_letters SET status = 'replayed', resolved_at = $2::timestamptz, resolved_by = $3,
                    replay_attempts = replay_attempts + 1, last_replay_at = $2::timestamptz
             WHERE id = $1::bigint AND status = 'open' RETURNING id`,
            [id, at, userName],
          )
        : await tx.query(
            `UPDATE dead_letters SET code = $3, reason = $4, replay_attempts = replay_attempts + 1,
                    last_replay_at = $2::timestamptz
             WHERE id = $1::bigint AND status = 'open' RETURNING id`,
            [id, at, refusal.code, refusal.reason],
          );
    if (changed.length === 0) throw resolvedAlready(id);
    await writeAudit(tx, {
      at,
      userName,
      action: "dead-letter-replay",
      deviceId,
      commandId: null,
      detail:
        refusal === null
          ? { letterId: id, result: "replayed" }
          : { letterId: id, result: "still refused", code: refusal.code, reason: refusal.reason },
    });
  }

  /**
   * The kiosk was told "rejected" and lists the record for staff; central's new answer for the same
   * revision (stored, duplicate or superseded) clears that on the kiosk. Sent once, at QoS 1: a kiosk
   * offline now keeps the item until staff clear it there (docs/dashboard.md, "Dead letters").
   */
  async #tellKiosk(written: BatchWritten, sentAt: string): Promise<boolean> {
    const messages: Outgoing[] = [
      ...written.acks.map(({ deviceId, ack }) =>
        encodeMessage("recordAck", deviceId, ack, { messageId: this.#newId(), sentAt }),
      ),
      ...written.endOfDayAcks.map(({ deviceId, ack }) =>
        encodeMessage("endOfDayAck", deviceId, ack, { messageId: this.#newId(), sentAt }),
      ),
    ];
    let told = messages.length > 0;
    for (const message of messages) {
      const sent = await this.deps.publish(message).catch(() => false);
      if (!sent) {
        told = false;
        this.deps.logger.warn(`the replayed dead letter's answer was not published on ${message.topic}`);
      }
    }
    return told;
  }
}
