import type { Migration } from "./migration.js";

/** Trial field (issue #12): a tip on top of a record's amount, in minor units of its currency. */
export const trialTip: Migration = {
  version: 9,
  name: "trial-tip",
  up(db) {
    db.exec("ALTER TABLE payment_records ADD COLUMN tip_minor INTEGER");
  },
};
