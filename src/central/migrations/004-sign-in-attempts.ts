import type { CentralMigration } from "./migration.js";

/**
 * Dashboard sign-in attempts per user name, shared by every central process on the database: an
 * attempt is reserved here (one atomic upsert) before its password is checked, so simultaneous
 * sign-ins, on one process or many, check no more passwords than the limit allows.
 */
export const signInAttempts: CentralMigration = {
  version: 4,
  name: "sign-in-attempts",
  sql: `
    CREATE TABLE dashboard_sign_in_attempts (
      name            text PRIMARY KEY,
      -- Attempts reserved since the count last started: checked and wrong, or being checked.
      attempts        integer NOT NULL CHECK (attempts >= 1),
      -- Set once the attempts reach the limit; no attempt is reserved before it passes.
      locked_until    timestamptz,
      last_attempt_at timestamptz NOT NULL
    );
  `,
};
