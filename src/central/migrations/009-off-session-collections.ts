import type { CentralMigration } from "./migration.js";

/**
 * Central's tries at collecting due future payments off-session (Stripe, with the studio's full
 * key). A try is written `unknown` before the call, with its idempotency key, so a crash replays the
 * same request; its outcome after. A charge that needs the client's authentication keeps the payment
 * page (a Checkout Session) staff can send them.
 */
export const offSessionCollections: CentralMigration = {
  version: 9,
  name: "off-session-collections",
  sql: `
    CREATE TABLE off_session_collections (
      record_id       text NOT NULL,
      attempt         integer NOT NULL CHECK (attempt >= 1),
      device_id       text NOT NULL,
      idempotency_key text NOT NULL UNIQUE,
      token           text NOT NULL,
      amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
      currency        text NOT NULL,
      outcome         text NOT NULL
        CHECK (outcome IN ('unknown', 'charged', 'declined', 'authentication-required')),
      decline_code    text,
      payment_intent  text,
      pay_link_url    text,
      tried_at        timestamptz NOT NULL,
      next_try_at     timestamptz,
      PRIMARY KEY (record_id, attempt)
    );
  `,
};
