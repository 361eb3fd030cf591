import { ErrorCodes } from "../core/error-codes.js";
import type { PaymentRecord } from "../payments/payment-record.js";
import type { AckOutcome } from "../sync/protocol/messages.js";
import type { Sql } from "./db/central-db.js";
import type { DeadLetter } from "./dead-letters.js";
import { RECORD_COLUMNS, toCentralRow } from "./record-rows.js";

export interface RecordInput {
  readonly record: PaymentRecord;
  /** sha256 of the record's canonical JSON: equal content, equal hash. */
  readonly contentHash: string;
  readonly topic: string;
  readonly messageId: string;
}

export interface RecordsWritten {
  /** One per input, in input order. */
  readonly outcomes: AckOutcome[];
  /** Why, for each input whose outcome is a conflict (by input index). */
  readonly conflicts: ReadonlyMap<number, string>;
  readonly deadLetters: DeadLetter[];
}

const key = (record: PaymentRecord): string => `${record.id}\u0000${record.revision}`;
const columnList = RECORD_COLUMNS.map(([name]) => name).join(", ");
const recordset = RECORD_COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ");
const updates = RECORD_COLUMNS.filter(([name]) => name !== "id")
  .map(([name]) => `${name} = excluded.${name}`)
  .join(", ");

/**
 * One statement for a batch (json, not jsonb, for the parameter: PostgreSQL reads it faster): every revision's hash into the history (a revision already there is
 * skipped), and of the new ones the highest per record into payment_records — unless a higher
 * revision is already there (a lower one arriving late), or the id is another kiosk's.
 */
const WRITE_REVISIONS = `
  WITH incoming AS (
    SELECT * FROM json_to_recordset($1::json) AS r(${recordset})
  ), inserted AS (
    INSERT INTO payment_record_revisions (record_id, revision, device_id, content_hash, received_at)
    SELECT id, revision, device_id, content_hash, $2::timestamptz FROM incoming
    ON CONFLICT (record_id, revision) DO NOTHING
    RETURNING record_id, revision
  ), newest AS (
    SELECT DISTINCT ON (i.id) i.* FROM incoming i
    JOIN inserted n ON n.record_id = i.id AND n.revision = i.revision
    ORDER BY i.id, i.revision DESC
  ), current AS (
    INSERT INTO payment_records (${columnList}, received_at)
    SELECT ${columnList}, $2::timestamptz FROM newest
    ON CONFLICT (id) DO UPDATE SET ${updates}, received_at = excluded.received_at
    WHERE payment_records.revision < excluded.revision AND payment_records.device_id = excluded.device_id
    RETURNING id, revision
  )
  SELECT n.record_id AS id, n.revision, c.id IS NOT NULL AS current
  FROM inserted n LEFT JOIN current c ON c.id = n.record_id AND c.revision = n.revision`;

const EXISTING_REVISIONS = `
  SELECT v.record_id, v.revision, v.content_hash
  FROM payment_record_revisions v
  JOIN jsonb_to_recordset($1::jsonb) AS k(record_id text, revision integer)
    ON v.record_id = k.record_id AND v.revision = k.revision`;

/**
 * Writes a batch of record revisions inside the caller's transaction and says, per input, what
 * happened (see ACK_OUTCOMES). Every revision's content hash goes to the history table keyed by
 * (id, revision); the newest revision per record is the current row, in full. Rows are written in
 * key order so two workers writing overlapping batches take their locks in the same order.
 */
export async function writeRecords(
  tx: Sql,
  inputs: readonly RecordInput[],
  receivedAt: string,
): Promise<RecordsWritten> {
  const outcomes: (AckOutcome | undefined)[] = new Array(inputs.length);
  const deadLetters: DeadLetter[] = [];
  const conflicts = new Map<number, string>();
  const conflict = (index: number, reason: string): void => {
    const input = inputs[index] as RecordInput;
    outcomes[index] = "conflict";
    conflicts.set(index, reason);
    deadLetters.push({
      code: ErrorCodes.SYNC_RECORD_CONFLICT,
      reason,
      topic: input.topic,
      deviceId: input.record.deviceId,
      messageId: input.messageId,
      recordId: input.record.id,
      revision: input.record.revision,
      payload: Buffer.from(JSON.stringify(input.record)),
    });
  };

  // The same revision twice in this batch: a repeat is a duplicate of the first, or a conflict.
  const leaders = new Map<string, number>();
  const followers: [number, number][] = [];
  inputs.forEach((input, index) => {
    const leader = leaders.get(key(input.record));
    if (leader === undefined) leaders.set(key(input.record), index);
    else if ((inputs[leader] as RecordInput).contentHash === input.contentHash)
      followers.push([index, leader]);
    else
      conflict(index, `revision ${input.record.revision} arrived twice in one batch with different content`);
  });

  // A record id belongs to the kiosk that sent it first.
  const ids = [...new Set(inputs.map((input) => input.record.id))];
  const owners = new Map<string, string>(
    (
      await tx.query<{ id: string; device_id: string }>(
        "SELECT id, device_id FROM payment_records WHERE id IN (SELECT json_array_elements_text($1::json))",
        [JSON.stringify(ids)],
      )
    ).map((row) => [row.id, row.device_id]),
  );
  const candidates: number[] = [];
  for (const index of [...leaders.values()].sort((a, b) => compareKeys(inputs, a, b))) {
    const { record } = inputs[index] as RecordInput;
    const owner = owners.get(record.id) ?? record.deviceId;
    owners.set(record.id, owner);
    if (owner === record.deviceId) candidates.push(index);
    else conflict(index, `record id ${record.id} belongs to kiosk ${owner}, not ${record.deviceId}`);
  }

  const rows = candidates.map((index) =>
    toCentralRow((inputs[index] as RecordInput).record, (inputs[index] as RecordInput).contentHash),
  );
  const written = candidates.length
    ? await tx.query<{ id: string; revision: number; current: boolean }>(WRITE_REVISIONS, [
        JSON.stringify(rows),
        receivedAt,
      ])
    : [];
  // One row per new revision; `current` says whether it became the record's current row.
  const inserted = new Set(written.map((row) => `${row.id}\u0000${row.revision}`));
  const won = new Set(written.filter((row) => row.current).map((row) => `${row.id}\u0000${row.revision}`));

  const seen = candidates.filter((index) => !inserted.has(key((inputs[index] as RecordInput).record)));
  if (seen.length > 0) {
    const keys = seen.map((index) => ({
      record_id: (inputs[index] as RecordInput).record.id,
      revision: (inputs[index] as RecordInput).record.revision,
    }));
    const stored = new Map(
      (
        await tx.query<{ record_id: string; revision: number; content_hash: string }>(EXISTING_REVISIONS, [
          JSON.stringify(keys),
        ])
      ).map((row) => [`${row.record_id}\u0000${row.revision}`, row.content_hash]),
    );
    for (const index of seen) {
      const input = inputs[index] as RecordInput;
      const hash = stored.get(key(input.record));
      if (hash === input.contentHash) outcomes[index] = "duplicate";
      else
        conflict(
          index,
          `revision ${input.record.revision} was already received with different content (hash ${hash ?? "?"})`,
        );
    }
  }

  // A new revision is stored if it became the current row, superseded if a higher one is there.
  for (const index of candidates) {
    const { record } = inputs[index] as RecordInput;
    if (inserted.has(key(record))) outcomes[index] = won.has(key(record)) ? "stored" : "superseded";
  }

  for (const [index, leader] of followers) {
    outcomes[index] = outcomes[leader] === "conflict" ? "conflict" : "duplicate";
    const why = conflicts.get(leader);
    if (why !== undefined) conflicts.set(index, why);
  }
  return { outcomes: outcomes.map((outcome) => outcome ?? "conflict"), conflicts, deadLetters };
}

function compareKeys(inputs: readonly RecordInput[], a: number, b: number): number {
  const left = (inputs[a] as RecordInput).record;
  const right = (inputs[b] as RecordInput).record;
  if (left.id !== right.id) return left.id < right.id ? -1 : 1;
  return left.revision - right.revision;
}
