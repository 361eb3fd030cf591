import { central } from "./001-central.js";
import { savedCards } from "./002-saved-cards.js";
import { dashboard } from "./003-dashboard.js";
import { signInAttempts } from "./004-sign-in-attempts.js";
import { deviceSecrets } from "./005-device-secrets.js";
import { invoiceAccounts } from "./006-invoice-accounts.js";
import type { CentralMigration } from "./migration.js";

/** Every migration of central's database, in order. Add new ones at the end. */
export const CENTRAL_MIGRATIONS: readonly CentralMigration[] = [
  central,
  savedCards,
  dashboard,
  signInAttempts,
  deviceSecrets,
  invoiceAccounts,
];
