import type { Database, Statement } from "better-sqlite3";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import { describeIssues } from "../core/zod-issues.js";
import { type PaymentRecord, paymentRecordSchema, type RecordLine } from "../payments/payment-record.js";
import type { AuditLog } from "./audit-log.js";
import { nameKey } from "./invoice-cache.js";
import {
  fromRow,
  LINE_COLUMNS,
  type LineRow,
  lineFromRow,
  RECORD_COLUMNS,
  type RecordRow,
  rowHash,
  toRow,
} from "./record-rows.js";

/** Nothing reaches the disk that does not fit the record schema (a masked number, whole minor units...). */
function checked(record: PaymentRecord): PaymentRecord {
  const result = paymentRecordSchema.safeParse(record);
  if (!result.success) {
    throw new KioskError(
      ErrorCodes.PAYMENT_RECORD_INVALID,
      `The record is malformed and was not saved: ${describeIssues(result.error.issues).join("; ")}`,
      { recordId: typeof record.id === "string" ? record.id : null },
    );
  }
  return result.data;
}

/** A record found by invoice number or client name, with the client's name (null: not in the cache). */
export interface FoundRecord {
  readonly record: PaymentRecord;
  readonly clientName: string | null;
}

type FoundRow = RecordRow & { found_first_name: string | null; found_last_name: string | null };

/**
 * Payment records with their outbox and audit rows. Each write adds all three; callers run it inside
 * a transaction (the Ledger does), so they commit together or not at all.
 */
export class RecordStore {
  readonly #insert: Statement<RecordRow>;
  readonly #update: Statement<RecordRow>;
  readonly #byId: Statement<[string], RecordRow>;
  readonly #byInvoice: Statement<[string], RecordRow>;
  readonly #linesByInvoice: Statement<[string], LineRow>;
  readonly #scheduledDue: Statement<[string], RecordRow>;
  readonly #byShift: Statement<[string], RecordRow>;
  readonly #matching: Statement<{ number: string; name: string; limit: number }, FoundRow>;
  readonly #outbox: Statement<{ record_id: string; revision: number; payload: string; created_at: string }>;

  constructor(
    db: Database,
    private readonly audit: AuditLog,
  ) {
    this.#insert = db.prepare(
      `INSERT INTO payment_records (${RECORD_COLUMNS.join(", ")}) VALUES (${RECORD_COLUMNS.map((column) => `@${column}`).join(", ")})`,
    );
    this.#update = db.prepare(
      `UPDATE payment_records SET ${RECORD_COLUMNS.filter((column) => column !== "id")
        .map((column) => `${column} = @${column}`)
        .join(", ")} WHERE id = @id AND revision = @revision - 1`,
    );
    this.#byId = db.prepare("SELECT * FROM payment_records WHERE id = ?");
    this.#byInvoice = db.prepare(
      "SELECT * FROM payment_records WHERE invoice_id = ? ORDER BY created_at, id",
    );
    // In index order (invoice, then id): no sort, and only the columns the rules read.
    this.#linesByInvoice = db.prepare(
      `SELECT ${LINE_COLUMNS.join(", ")} FROM payment_records WHERE invoice_id = ? ORDER BY invoice_id, id`,
    );
    this.#scheduledDue = db.prepare(
      "SELECT * FROM payment_records WHERE status = 'scheduled' AND due_date <= ? ORDER BY due_date, id",
    );
    this.#byShift = db.prepare("SELECT * FROM payment_records WHERE shift_id = ? ORDER BY created_at, id");
    // instr, not LIKE: a typed % or _ is a character like any other. Names compare by nameKey.
    db.function("name_key", { deterministic: true }, (name) =>
      typeof name === "string" ? nameKey(name) : null,
    );
    this.#matching = db.prepare(
      `SELECT r.*, c.first_name AS found_first_name, c.last_name AS found_last_name
         FROM payment_records r LEFT JOIN clients c ON c.id = r.client_id
        WHERE instr(upper(r.invoice_number), @number) > 0
           OR instr(name_key(c.first_name || ' ' || c.last_name), @name) > 0
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT @limit`,
    );
    this.#outbox = db.prepare(
      "INSERT INTO outbox (record_id, revision, payload, created_at) VALUES (@record_id, @revision, @payload, @created_at)",
    );
  }

  get(id: string): PaymentRecord | null {
    const row = this.#byId.get(id);
    return row ? fromRow(row) : null;
  }

  forInvoice(invoiceId: string): PaymentRecord[] {
    return this.#byInvoice.all(invoiceId).map(fromRow);
  }

  /** What the balance rules need of every record against an invoice (see RecordLine). */
  linesFor(invoiceId: string): RecordLine[] {
    return this.#linesByInvoice.all(invoiceId).map(lineFromRow);
  }

  /** Future payments whose due date has come (on or before `today`), oldest first. */
  scheduledDue(today: string): PaymentRecord[] {
    return this.#scheduledDue.all(today).map(fromRow);
  }

  /** The records taken in a shift, oldest first (void list, X and Z reports). */
  forShift(shiftId: string): PaymentRecord[] {
    return this.#byShift.all(shiftId).map(fromRow);
  }

  /**
   * The kiosk's records whose invoice number contains `text` (any case) or whose client's name does
   * (any case, any accents), newest first, at most `limit`.
   */
  matching(text: string, limit: number): FoundRecord[] {
    return this.#matching
      .all({ number: text.trim().toUpperCase(), name: nameKey(text), limit })
      .map(({ found_first_name, found_last_name, ...row }) => ({
        record: fromRow(row),
        clientName: found_first_name === null ? null : `${found_first_name} ${found_last_name ?? ""}`.trim(),
      }));
  }

  /** A new record (revision 1), its outbox row and its audit row. */
  insert(record: PaymentRecord, actor: string | null, action = "record.created"): void {
    const row = toRow(checked(record));
    this.#insert.run(row);
    this.#follow(record, row, actor, action);
  }

  /** A record's next revision; refuses (returns false) if someone else changed it first. */
  update(record: PaymentRecord, actor: string | null, action: string): boolean {
    const row = toRow(checked(record));
    const changed = this.#update.run(row).changes === 1;
    if (changed) this.#follow(record, row, actor, action);
    return changed;
  }

  #follow(record: PaymentRecord, row: RecordRow, actor: string | null, action: string): void {
    const payload = JSON.stringify(record);
    this.#outbox.run({
      record_id: record.id,
      revision: record.revision,
      payload,
      created_at: record.updatedAt,
    });
    this.audit.append({
      at: record.updatedAt,
      deviceId: record.deviceId,
      actor,
      action,
      entity: "payment_record",
      entityId: record.id,
      details: {
        revision: record.revision,
        status: record.status,
        kind: record.kind,
        amountMinor: record.amount.minor,
        currency: record.amount.currency,
        contentHash: rowHash(row),
      },
    });
  }
}
