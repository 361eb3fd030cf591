import { central } from "./001-central.js";
import { savedCards } from "./002-saved-cards.js";
import { dashboard } from "./003-dashboard.js";
import { signInAttempts } from "./004-sign-in-attempts.js";
import { deviceSecrets } from "./005-device-secrets.js";
import { endOfDay } from "./006-end-of-day.js";
import { hostHealth } from "./007-host-health.js";
import { cardConsent } from "./008-card-consent.js";
import { offSessionCollections } from "./009-off-session-collections.js";
import { invoiceAccounts } from "./010-invoice-accounts.js";
import { alerts } from "./011-alerts.js";
import { kioskGroups } from "./012-kiosk-groups.js";
import { waitingCommands } from "./013-waiting-commands.js";
import { dashboardRoles } from "./014-dashboard-roles.js";
import { deadLetterResolution } from "./015-dead-letter-resolution.js";
import { alertNotificationOutbox } from "./016-alert-notification-outbox.js";
import type { CentralMigration } from "./migration.js";

/** Every migration of central's database, in order. Add new ones at the end. */
export const CENTRAL_MIGRATIONS: readonly CentralMigration[] = [
  central,
  savedCards,
  dashboard,
  signInAttempts,
  deviceSecrets,
  endOfDay,
  hostHealth,
  cardConsent,
  offSessionCollections,
  invoiceAccounts,
  alerts,
  kioskGroups,
  waitingCommands,
  dashboardRoles,
  deadLetterResolution,
  alertNotificationOutbox,
];
