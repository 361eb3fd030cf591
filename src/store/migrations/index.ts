import { ledger } from "./001-ledger.js";
import { auditLog } from "./002-audit-log.js";
import { shifts } from "./003-shifts.js";
import { cardProcessing } from "./004-card-processing.js";
import { syncState } from "./005-sync-state.js";
import { remote } from "./006-remote.js";
import { savedCardSync } from "./007-saved-card-sync.js";
import { drawerCounts } from "./008-drawer-counts.js";
import { syncRefusals } from "./009-sync-refusals.js";
import { endOfDayOutbox } from "./010-end-of-day-outbox.js";
import { cardConsent } from "./011-card-consent.js";
import { collectionPayLinks } from "./012-collection-pay-links.js";
import { invoiceAccounts } from "./013-invoice-accounts.js";
import { keyedEntries } from "./014-keyed-entries.js";
import type { Migration } from "./migration.js";

/** Every migration, in order. Add new ones at the end; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  ledger,
  auditLog,
  shifts,
  cardProcessing,
  syncState,
  remote,
  savedCardSync,
  drawerCounts,
  syncRefusals,
  endOfDayOutbox,
  cardConsent,
  collectionPayLinks,
  invoiceAccounts,
  keyedEntries,
];

export const LATEST_VERSION = MIGRATIONS.length;
