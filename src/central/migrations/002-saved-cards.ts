import type { CentralMigration } from "./migration.js";

/** Clients' saved cards from every kiosk: processor tokens with brand, last 4 and expiry. */
export const savedCards: CentralMigration = {
  version: 2,
  name: "saved-cards",
  sql: `
    CREATE TABLE saved_cards (
      token       text PRIMARY KEY,
      device_id   text NOT NULL,
      client_id   text NOT NULL,
      brand       text,
      last4       text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
      exp_month   integer,
      exp_year    integer,
      created_at  timestamptz NOT NULL,
      removed_at  timestamptz,
      received_at timestamptz NOT NULL
    );
    CREATE INDEX saved_cards_by_client ON saved_cards (client_id);
  `,
};
