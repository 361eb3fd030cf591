import type { Migration } from "./migration.js";

/**
 * A due payment central could not charge without the client (the card needs authentication) comes
 * with a payment page: its address is kept with that try, for staff to send the client.
 */
export const collectionPayLinks: Migration = {
  version: 12,
  name: "collection-pay-links",
  up(db) {
    db.exec("ALTER TABLE collection_attempts ADD COLUMN pay_link TEXT;");
  },
};
