import type { Migration } from "./migration.js";

/**
 * A card is saved only with someone's agreement: who agreed ("client" at self-service, or the staff
 * member's id at the desk) and when, kept with the saved card. Cards saved before this have none.
 */
export const cardConsent: Migration = {
  version: 11,
  name: "card-consent",
  up(db) {
    db.exec(`
      ALTER TABLE saved_cards ADD COLUMN consent_by TEXT;
      ALTER TABLE saved_cards ADD COLUMN consent_at TEXT;
    `);
  },
};
