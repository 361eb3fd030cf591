import type { CentralMigration } from "./migration.js";

/** Who agreed to keep a saved card ("client", or a staff id) and when, as the kiosk recorded it. */
export const cardConsent: CentralMigration = {
  version: 8,
  name: "card-consent",
  sql: `
    ALTER TABLE saved_cards ADD COLUMN consent_by text;
    ALTER TABLE saved_cards ADD COLUMN consent_at timestamptz;
  `,
};
