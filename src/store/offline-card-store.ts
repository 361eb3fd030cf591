import type { Database, Statement } from "better-sqlite3";
import type { EncryptedCardPayload } from "../payments/card-processor.js";

export interface StoredOfflinePayment {
  readonly recordId: string;
  readonly payload: EncryptedCardPayload;
  readonly amountMinor: number;
  readonly createdAt: string;
}

export interface OfflineDecline {
  readonly recordId: string;
  readonly amountMinor: number;
  readonly outcome: string;
  readonly forwardedAt: string;
}

/**
 * Reader-encrypted card data held while the processor is unreachable. The kiosk cannot decrypt it;
 * it is wiped (payload set to NULL) as soon as it is forwarded, and only the outcome stays, so a
 * later decline can be shown to staff until they acknowledge it.
 */
export class OfflineCardStore {
  readonly #put: Statement<{ record_id: string; payload: string; amount_minor: number; created_at: string }>;
  readonly #pending: Statement<
    [],
    { record_id: string; payload: string; amount_minor: number; created_at: string }
  >;
  readonly #total: Statement<[], { total: number | null }>;
  readonly #forwarded: Statement<{ record_id: string; outcome: string; at: string }>;
  readonly #declines: Statement<
    [],
    { record_id: string; amount_minor: number; outcome: string; forwarded_at: string }
  >;
  readonly #acknowledge: Statement<{ record_id: string; at: string }>;

  constructor(db: Database) {
    this.#put = db.prepare(
      "INSERT INTO offline_card_payments (record_id, payload, amount_minor, created_at) VALUES (@record_id, @payload, @amount_minor, @created_at)",
    );
    this.#pending = db.prepare(
      "SELECT record_id, payload, amount_minor, created_at FROM offline_card_payments WHERE forwarded_at IS NULL ORDER BY created_at",
    );
    this.#total = db.prepare(
      "SELECT sum(amount_minor) AS total FROM offline_card_payments WHERE forwarded_at IS NULL",
    );
    this.#forwarded = db.prepare(
      "UPDATE offline_card_payments SET payload = NULL, forwarded_at = @at, outcome = @outcome WHERE record_id = @record_id",
    );
    this.#declines = db.prepare(
      `SELECT record_id, amount_minor, outcome, forwarded_at FROM offline_card_payments
       WHERE forwarded_at IS NOT NULL AND outcome <> 'approved' AND acknowledged_at IS NULL ORDER BY forwarded_at`,
    );
    this.#acknowledge = db.prepare(
      "UPDATE offline_card_payments SET acknowledged_at = @at WHERE record_id = @record_id",
    );
  }

  /** Call inside the transaction that marks the record pending. */
  put(recordId: string, payload: EncryptedCardPayload, amountMinor: number, at: string): void {
    this.#put.run({
      record_id: recordId,
      payload: JSON.stringify(payload),
      amount_minor: amountMinor,
      created_at: at,
    });
  }

  pending(): StoredOfflinePayment[] {
    return this.#pending.all().map((row) => ({
      recordId: row.record_id,
      payload: JSON.parse(row.payload) as EncryptedCardPayload,
      amountMinor: row.amount_minor,
      createdAt: row.created_at,
    }));
  }

  /** What is stored and not yet forwarded, in minor units: held under the total cap. */
  storedTotal(): number {
    return this.#total.get()?.total ?? 0;
  }

  /** Wipes the card data and keeps the outcome. Call inside the transaction that settles the record. */
  forwarded(recordId: string, outcome: string, at: string): void {
    this.#forwarded.run({ record_id: recordId, outcome, at });
  }

  /** Offline payments the processor declined later, for staff to see and follow up. */
  declinesToReview(): OfflineDecline[] {
    return this.#declines.all().map((row) => ({
      recordId: row.record_id,
      amountMinor: row.amount_minor,
      outcome: row.outcome,
      forwardedAt: row.forwarded_at,
    }));
  }

  acknowledge(recordId: string, at: string): void {
    this.#acknowledge.run({ record_id: recordId, at });
  }
}
