import type { CentralMigration } from "./migration.js";

/** Trial field (issue #12): a tip on top of a record's amount, in minor units of its currency. */
export const trialTip: CentralMigration = {
  version: 4,
  name: "trial-tip",
  sql: "ALTER TABLE payment_records ADD COLUMN tip_minor bigint",
};
