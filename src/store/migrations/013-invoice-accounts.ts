import type { Migration } from "./migration.js";

/**
 * What central last said was paid on each invoice elsewhere — at other kiosks and in Spectra — so
 * the balance counts it, offline too. `seq` is central's change number for the invoice's account: an
 * older one never replaces a newer one. `as_of` is central's time when it counted.
 */
export const invoiceAccounts: Migration = {
  version: 13,
  name: "invoice-accounts",
  up(db) {
    db.exec(`
      CREATE TABLE invoice_accounts (
        invoice_id               TEXT PRIMARY KEY,
        seq                      INTEGER NOT NULL CHECK (seq >= 1),
        currency                 TEXT NOT NULL,
        paid_elsewhere_minor     INTEGER NOT NULL CHECK (paid_elsewhere_minor >= 0),
        refunded_elsewhere_minor INTEGER NOT NULL CHECK (refunded_elsewhere_minor >= 0),
        as_of                    TEXT NOT NULL,
        received_at              TEXT NOT NULL
      ) STRICT;
    `);
  },
};
