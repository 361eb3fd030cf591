import type { CentralMigration } from "./migration.js";

/**
 * Secrets central delivers to kiosks (a processor's key): each kiosk's device public key (X25519,
 * from provision-device), and, with a desired configuration, the secrets sealed to that key. Central
 * keeps only the sealed form: a secret's value is never written to its database.
 */
export const deviceSecrets: CentralMigration = {
  version: 5,
  name: "device-secrets",
  sql: `
    CREATE TABLE device_keys (
      device_id  text PRIMARY KEY,
      public_key text NOT NULL,
      set_by     text NOT NULL,
      set_at     timestamptz NOT NULL
    );
    ALTER TABLE desired_configs ADD COLUMN secrets jsonb;
  `,
};
