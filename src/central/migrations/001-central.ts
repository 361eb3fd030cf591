import type { CentralMigration } from "./migration.js";

/** Devices, the catalog kiosks pull (clients and invoices), payment records, dead letters. */
export const central: CentralMigration = {
  version: 1,
  name: "central",
  sql: `
    CREATE TABLE devices (
      device_id          text PRIMARY KEY,
      state              text NOT NULL DEFAULT 'unknown' CHECK (state IN ('unknown', 'online', 'offline')),
      state_reason       text,
      -- The connection the state belongs to (UUIDv7, time-ordered): a later connection's state wins.
      connection_id      text,
      state_changed_at   timestamptz,
      last_seen_at       timestamptz NOT NULL,
      telemetry          jsonb,
      telemetry_at       timestamptz,
      reported_config    jsonb,
      reported_config_at timestamptz,
      first_seen_at      timestamptz NOT NULL DEFAULT now()
    );

    -- One counter for every catalog change: a kiosk's cursor is the last change it applied.
    CREATE SEQUENCE catalog_change_seq;

    CREATE TABLE clients (
      id         text PRIMARY KEY,
      first_name text NOT NULL,
      last_name  text NOT NULL,
      version    integer NOT NULL CHECK (version >= 1),
      change_seq bigint NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX clients_by_change ON clients (change_seq);

    CREATE TABLE invoices (
      id          text PRIMARY KEY,
      number      text NOT NULL UNIQUE,
      client_id   text NOT NULL REFERENCES clients (id),
      session_id  text,
      lines       jsonb NOT NULL,
      total_minor bigint NOT NULL CHECK (total_minor >= 0),
      currency    text NOT NULL,
      version     integer NOT NULL CHECK (version >= 1),
      change_seq  bigint NOT NULL,
      updated_at  timestamptz NOT NULL
    );
    CREATE INDEX invoices_by_change ON invoices (change_seq);

    -- The newest revision of each record (what reports read).
    CREATE TABLE payment_records (
      id                text PRIMARY KEY,
      revision          integer NOT NULL CHECK (revision >= 1),
      device_id         text NOT NULL,
      kind              text NOT NULL CHECK (kind IN ('payment', 'refund')),
      invoice_id        text NOT NULL,
      invoice_number    text NOT NULL,
      client_id         text NOT NULL,
      session_id        text,
      refund_of         text,
      amount_minor      bigint NOT NULL,
      currency          text NOT NULL,
      overpayment_minor bigint,
      payment_date      date,
      refundable        boolean NOT NULL,
      refundable_until  date,
      future_payment    boolean NOT NULL,
      due_date          date,
      method_id         text NOT NULL,
      method_name       text NOT NULL,
      method_type       text NOT NULL,
      method            jsonb NOT NULL,
      status            text NOT NULL,
      decline_code      text,
      staff_id          text,
      shift_id          text,
      note              text,
      created_at        timestamptz NOT NULL,
      updated_at        timestamptz NOT NULL,
      voided_at         timestamptz,
      voided_by         text,
      content_hash      text NOT NULL,
      received_at       timestamptz NOT NULL
    );
    CREATE INDEX payment_records_by_invoice ON payment_records (invoice_id);
    CREATE INDEX payment_records_by_device ON payment_records (device_id, created_at);

    -- Every revision ever received, by the hash of its content (sha256 of canonical JSON): a
    -- revision seen again is a duplicate if the hash matches and a conflict if not. The content
    -- itself is kept for the newest revision (payment_records) and for conflicts (dead_letters).
    CREATE TABLE payment_record_revisions (
      record_id    text NOT NULL,
      revision     integer NOT NULL,
      device_id    text NOT NULL,
      content_hash text NOT NULL,
      received_at  timestamptz NOT NULL,
      PRIMARY KEY (record_id, revision)
    );

    -- What ingest refused, with why: malformed, oversized or spoofed messages, conflicting records.
    CREATE TABLE dead_letters (
      id            bigserial PRIMARY KEY,
      received_at   timestamptz NOT NULL,
      code          text NOT NULL,
      reason        text NOT NULL,
      topic         text NOT NULL,
      device_id     text,
      message_id    text,
      record_id     text,
      revision      integer,
      payload_bytes integer NOT NULL,
      -- The message (or record) as received, cut at 64 KiB.
      payload       bytea NOT NULL
    );
    CREATE INDEX dead_letters_by_device ON dead_letters (device_id, received_at);
    CREATE INDEX dead_letters_by_code ON dead_letters (code, received_at);

    CREATE TABLE command_results (
      command_id  text NOT NULL,
      outcome     text NOT NULL,
      device_id   text NOT NULL,
      code        text,
      detail      text,
      at          timestamptz NOT NULL,
      received_at timestamptz NOT NULL,
      PRIMARY KEY (command_id, outcome)
    );
  `,
};
