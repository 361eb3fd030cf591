import type { CentralMigration } from "./migration.js";

/**
 * Dashboard users get a role (viewer, operator, admin) and their last sign-in; sign-in attempts are
 * also counted per client address, in PostgreSQL like the per-name count, so every central process
 * shares them. Users from before roles become admins: an install keeps working as it did.
 */
export const dashboardRoles: CentralMigration = {
  version: 14,
  name: "dashboard-roles",
  sql: `
    ALTER TABLE dashboard_users
      ADD COLUMN role text NOT NULL DEFAULT 'admin' CHECK (role IN ('viewer', 'operator', 'admin')),
      ADD COLUMN last_sign_in_at timestamptz;
    -- New users get the role they are given: nothing defaults to the most powerful one.
    ALTER TABLE dashboard_users ALTER COLUMN role DROP DEFAULT;

    -- Attempts per client address (an IPv6 address by its /64), the same shape as per name.
    CREATE TABLE dashboard_sign_in_addresses (
      name            text PRIMARY KEY,
      attempts        integer NOT NULL CHECK (attempts >= 1),
      locked_until    timestamptz,
      last_attempt_at timestamptz NOT NULL
    );
  `,
};
