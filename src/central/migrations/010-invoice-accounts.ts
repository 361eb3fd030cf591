import type { CentralMigration } from "./migration.js";

/**
 * Central owns the balance. Payments made outside the kiosks (Spectra's import, the integration
 * API) are kept beside the kiosks' records, one row per reference; every change that can move an
 * invoice's account — a record becoming or ceasing to be completed, a payment from Spectra — marks
 * the invoice in `invoice_account_changes` with a new change number and "not pushed", in the same
 * transaction (a trigger, so no writer can forget it). Central's balances worker pushes marked
 * invoices to the kiosks; a kiosk that was away pulls the changes after its cursor.
 * Integration tokens are kept as SHA-256 hashes only.
 */
export const invoiceAccounts: CentralMigration = {
  version: 10,
  name: "invoice-accounts",
  sql: `
    CREATE TABLE invoice_payments (
      reference    text PRIMARY KEY,
      invoice_id   text NOT NULL REFERENCES invoices (id),
      kind         text NOT NULL CHECK (kind IN ('payment', 'refund')),
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency     text NOT NULL,
      paid_on      date NOT NULL,
      method       text NOT NULL,
      source       text NOT NULL,
      recorded_at  timestamptz NOT NULL
    );
    CREATE INDEX invoice_payments_by_invoice ON invoice_payments (invoice_id);

    CREATE SEQUENCE invoice_account_seq;
    CREATE TABLE invoice_account_changes (
      invoice_id text PRIMARY KEY,
      seq        bigint NOT NULL,
      changed_at timestamptz NOT NULL,
      pushed     boolean NOT NULL DEFAULT false
    );
    CREATE INDEX invoice_account_changes_by_seq ON invoice_account_changes (seq);
    CREATE INDEX invoice_account_changes_unpushed ON invoice_account_changes (seq) WHERE NOT pushed;

    CREATE FUNCTION mark_invoice_account() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO invoice_account_changes (invoice_id, seq, changed_at, pushed)
      VALUES (NEW.invoice_id, nextval('invoice_account_seq'), clock_timestamp(), false)
      ON CONFLICT (invoice_id) DO UPDATE
        SET seq = excluded.seq, changed_at = excluded.changed_at, pushed = false;
      RETURN NULL;
    END $$;
    -- Only a completed record counts in an account, so only a change into or out of "completed" marks it.
    CREATE TRIGGER payment_records_mark_insert AFTER INSERT ON payment_records
      FOR EACH ROW WHEN (NEW.status = 'completed') EXECUTE FUNCTION mark_invoice_account();
    CREATE TRIGGER payment_records_mark_update AFTER UPDATE ON payment_records
      FOR EACH ROW WHEN (NEW.status = 'completed' OR OLD.status = 'completed')
      EXECUTE FUNCTION mark_invoice_account();
    CREATE TRIGGER invoice_payments_mark AFTER INSERT OR UPDATE ON invoice_payments
      FOR EACH ROW EXECUTE FUNCTION mark_invoice_account();

    CREATE TABLE integration_tokens (
      name         text PRIMARY KEY,
      token_hash   text NOT NULL UNIQUE,
      created_at   timestamptz NOT NULL,
      revoked_at   timestamptz,
      last_used_at timestamptz
    );
  `,
};
