import type { Database, Statement } from "better-sqlite3";
import type { SavedCard } from "../payments/card-processor.js";

/** Who agreed to keep the card ("client", or the staff member's id) and when (ISO 8601). */
export interface CardConsent {
  readonly by: string;
  readonly at: string;
}

export interface ClientSavedCard extends SavedCard {
  readonly clientId: string;
  readonly createdAt: string;
  /** null for a card saved before consent was recorded, or re-found after a crash without it. */
  readonly consent: CardConsent | null;
}

/** A saved card as central receives it, removed ones included. */
export interface SavedCardChange extends ClientSavedCard {
  readonly removedAt: string | null;
}

interface SavedCardRow {
  token: string;
  client_id: string;
  brand: string | null;
  last4: string;
  exp_month: number | null;
  exp_year: number | null;
  created_at: string;
  consent_by: string | null;
  consent_at: string | null;
  removed_at?: string | null;
}

const fromRow = (row: SavedCardRow): ClientSavedCard => ({
  token: row.token,
  clientId: row.client_id,
  brand: row.brand,
  last4: row.last4,
  expiry: row.exp_month && row.exp_year ? { month: row.exp_month, year: row.exp_year } : null,
  createdAt: row.created_at,
  consent: row.consent_by && row.consent_at ? { by: row.consent_by, at: row.consent_at } : null,
});

/** Processor tokens for clients' cards on file: brand, last 4 and expiry, never the number. */
export class SavedCardBook {
  readonly #put: Statement<SavedCardRow>;
  readonly #forClient: Statement<[string], SavedCardRow>;
  readonly #remove: Statement<{ token: string; at: string }>;
  readonly #unsynced: Statement<[number], SavedCardRow>;
  readonly #markSynced: Statement<{ token: string; at: string }>;

  constructor(db: Database) {
    this.#put = db.prepare(
      `INSERT INTO saved_cards (token, client_id, brand, last4, exp_month, exp_year, created_at, consent_by, consent_at)
       VALUES (@token, @client_id, @brand, @last4, @exp_month, @exp_year, @created_at, @consent_by, @consent_at)
       ON CONFLICT(token) DO UPDATE SET brand = excluded.brand, last4 = excluded.last4,
         exp_month = excluded.exp_month, exp_year = excluded.exp_year,
         consent_by = coalesce(excluded.consent_by, saved_cards.consent_by),
         consent_at = coalesce(excluded.consent_at, saved_cards.consent_at),
         removed_at = NULL, synced_at = NULL`,
    );
    this.#forClient = db.prepare(
      "SELECT * FROM saved_cards WHERE client_id = ? AND removed_at IS NULL ORDER BY created_at DESC",
    );
    this.#remove = db.prepare(
      "UPDATE saved_cards SET removed_at = @at, synced_at = NULL WHERE token = @token",
    );
    this.#unsynced = db.prepare(
      "SELECT * FROM saved_cards WHERE synced_at IS NULL ORDER BY created_at LIMIT ?",
    );
    this.#markSynced = db.prepare("UPDATE saved_cards SET synced_at = @at WHERE token = @token");
  }

  save(clientId: string, card: SavedCard, at: string, consent: CardConsent | null = null): void {
    this.#put.run({
      token: card.token,
      client_id: clientId,
      brand: card.brand,
      last4: card.last4,
      exp_month: card.expiry?.month ?? null,
      exp_year: card.expiry?.year ?? null,
      created_at: at,
      consent_by: consent?.by ?? null,
      consent_at: consent?.at ?? null,
    });
  }

  /** The client's card with this token, if it is on file (not removed). */
  find(clientId: string, token: string): ClientSavedCard | null {
    return this.forClient(clientId).find((card) => card.token === token) ?? null;
  }

  forClient(clientId: string): ClientSavedCard[] {
    return this.#forClient.all(clientId).map(fromRow);
  }

  /** The newest card on file that has not expired by `today` ("YYYY-MM-DD"). */
  usable(clientId: string, today: string): ClientSavedCard | null {
    const [year, month] = today.split("-").map(Number) as [number, number];
    return (
      this.forClient(clientId).find(
        (card) => !card.expiry || card.expiry.year * 12 + card.expiry.month >= year * 12 + month,
      ) ?? null
    );
  }

  remove(token: string, at: string): void {
    this.#remove.run({ token, at });
  }

  /** Changes central has not acknowledged yet, oldest first. */
  unsynced(limit: number): SavedCardChange[] {
    return this.#unsynced.all(limit).map((row) => ({ ...fromRow(row), removedAt: row.removed_at ?? null }));
  }

  markSynced(tokens: readonly string[], at: string): void {
    for (const token of tokens) this.#markSynced.run({ token, at });
  }
}
