import { ledger } from "./001-ledger.js";
import { auditLog } from "./002-audit-log.js";
import { shifts } from "./003-shifts.js";
import { syncState } from "./004-sync-state.js";
import type { Migration } from "./migration.js";

/** Every migration, in order. Add new ones at the end; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [ledger, auditLog, shifts, syncState];

export const LATEST_VERSION = MIGRATIONS.length;
