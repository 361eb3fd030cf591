import { ErrorCodes } from "../core/error-codes.js";
import type { DrawerCountItem, EndOfDayItem, ReportItem, ShiftItem } from "../payments/end-of-day.js";
import type { EndOfDayOutcome } from "../sync/protocol/messages.js";
import type { Sql } from "./db/central-db.js";
import type { DeadLetter } from "./dead-letters.js";

/** An end-of-day item to write, with where it came from (for a dead letter). */
export interface EndOfDayInput {
  readonly item: EndOfDayItem;
  readonly deviceId: string;
  readonly topic: string;
  readonly messageId: string;
}

export interface EndOfDayWritten {
  /** One outcome per input, in order. */
  readonly outcomes: EndOfDayOutcome[];
  readonly deadLetters: DeadLetter[];
}

interface Stored {
  device_id: string;
  revision: number;
  same: boolean;
}

/** Each kind's table, and its stored revision (drawer counts and reports have only one). */
const TABLE = {
  shift: { name: "kiosk_shifts", revision: "revision" },
  "drawer-count": { name: "drawer_counts", revision: "1" },
  report: { name: "shift_reports", revision: "1" },
} as const;

async function insertShift(tx: Sql, item: ShiftItem, json: string, at: string): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO kiosk_shifts (id, device_id, revision, opened_at, opened_by, closed_at, closed_by, content, received_at)
     VALUES ($1, $2, $3, $4::timestamptz, $5, $6::timestamptz, $7, $8::jsonb, $9::timestamptz)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      item.id,
      item.deviceId,
      item.revision,
      item.openedAt,
      item.openedBy,
      item.closedAt,
      item.closedBy,
      json,
      at,
    ],
  );
  return rows.length === 1;
}

async function insertDrawerCount(tx: Sql, item: DrawerCountItem, json: string, at: string): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO drawer_counts (id, device_id, shift_id, currency, counted_minor, expected_minor, difference_minor,
       counted_by, counted_at, content, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz, $10::jsonb, $11::timestamptz)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      item.id,
      item.deviceId,
      item.shiftId,
      item.currency,
      item.countedMinor,
      item.expectedMinor,
      item.differenceMinor,
      item.countedBy,
      item.countedAt,
      json,
      at,
    ],
  );
  return rows.length === 1;
}

async function insertReport(tx: Sql, item: ReportItem, json: string, at: string): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO shift_reports (id, device_id, shift_id, kind, taken_at, taken_by, currency, net_minor,
       expected_cash_minor, content, received_at)
     VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $7, $8, $9, $10::jsonb, $11::timestamptz)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      item.id,
      item.deviceId,
      item.shiftId,
      item.report,
      item.takenAt,
      item.takenBy,
      item.currency,
      item.netMinor,
      item.expectedCashMinor,
      json,
      at,
    ],
  );
  return rows.length === 1;
}

function insert(tx: Sql, item: EndOfDayItem, json: string, at: string): Promise<boolean> {
  switch (item.type) {
    case "shift":
      return insertShift(tx, item, json, at);
    case "drawer-count":
      return insertDrawerCount(tx, item, json, at);
    case "report":
      return insertReport(tx, item, json, at);
  }
}

/**
 * Writes end-of-day items idempotently by id and revision: a new item is stored; the same revision
 * again with the same content is a duplicate; a shift's closing (revision 2) replaces its opening.
 * An id another kiosk holds, or the same revision with other content, is a conflict: kept in dead
 * letters, the stored one untouched. Run inside ingest's transaction.
 */
export async function writeEndOfDay(
  tx: Sql,
  inputs: readonly EndOfDayInput[],
  at: string,
): Promise<EndOfDayWritten> {
  const outcomes: EndOfDayOutcome[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const input of inputs) {
    const { item } = input;
    const json = JSON.stringify(item);
    if (await insert(tx, item, json, at)) {
      outcomes.push("stored");
      continue;
    }
    const table = TABLE[item.type];
    const [stored] = await tx.query<Stored>(
      `SELECT device_id, ${table.revision} AS revision, content = $2::jsonb AS same FROM ${table.name}
        WHERE id = $1 FOR UPDATE`,
      [item.id, json],
    );
    const refuse = (code: string, reason: string): void => {
      outcomes.push("conflict");
      deadLetters.push({
        code,
        reason,
        topic: input.topic,
        deviceId: input.deviceId,
        messageId: input.messageId,
        recordId: item.id,
        revision: item.revision,
        payload: Buffer.from(json),
      });
    };
    if (!stored) {
      // Inserted by nobody yet refused: cannot happen inside one transaction; retried as a conflict.
      refuse(ErrorCodes.SYNC_RECORD_CONFLICT, `${item.type} ${item.id} could be neither stored nor found`);
    } else if (stored.device_id !== input.deviceId) {
      refuse(ErrorCodes.SYNC_RECORD_FOREIGN, `${item.type} ${item.id} belongs to kiosk ${stored.device_id}`);
    } else if (Number(stored.revision) === item.revision) {
      if (stored.same) outcomes.push("duplicate");
      else
        refuse(
          ErrorCodes.SYNC_RECORD_CONFLICT,
          `${item.type} ${item.id} revision ${item.revision} arrived with other content`,
        );
    } else if (Number(stored.revision) > item.revision) {
      outcomes.push("superseded");
    } else if (item.type === "shift") {
      await tx.query(
        `UPDATE kiosk_shifts SET revision = $2, closed_at = $3::timestamptz, closed_by = $4, content = $5::jsonb,
           received_at = $6::timestamptz WHERE id = $1`,
        [item.id, item.revision, item.closedAt, item.closedBy, json, at],
      );
      outcomes.push("stored");
    } else {
      refuse(ErrorCodes.SYNC_RECORD_CONFLICT, `${item.type} ${item.id} has one revision only`);
    }
  }
  return { outcomes, deadLetters };
}
