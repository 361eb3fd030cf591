import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { openDatabase, quickCheck } from "../../store/database.js";
import { schemaVersion } from "../../store/migrate.js";
import type { KioskService } from "./kiosk-service.js";
import { unpackRelease, verifyRelease } from "./release-bundle.js";
import type { ReleaseLayout } from "./release-layout.js";
import { waitHealthy } from "./wait-healthy.js";

export interface ApplyOptions {
  readonly file: string;
  readonly releaseKeyPem: string;
  readonly layout: ReleaseLayout;
  readonly service: KioskService;
  /** The kiosk's database (dataDir/kiosk.sqlite): backed up before the switch. */
  readonly database: string;
  readonly backupsDir: string;
  readonly healthUrl: string;
  readonly healthyWithinMs: number;
  readonly steadyMs: number;
  readonly say: (line: string) => void;
}

/** What happened, as the kiosk reports it to central and `release apply` prints it. */
export interface UpdateResult {
  /** The update command this answers, when central sent one (reported to central after the restart). */
  readonly commandId?: string;
  readonly version: string;
  readonly from: string | null;
  readonly state: "updated" | "unchanged" | "rolled-back";
  readonly reason: string | null;
  readonly backup: string | null;
  /** Whether the database was put back from the backup (a migration of the new release had run). */
  readonly databaseRestored: boolean;
  readonly at: string;
}

function userVersion(path: string): number | null {
  if (!existsSync(path)) return null;
  const db = openDatabase(path, { readonly: true });
  try {
    return schemaVersion(db);
  } finally {
    db.close();
  }
}

async function backUp(database: string, backupsDir: string, version: string): Promise<string | null> {
  if (!existsSync(database)) return null;
  mkdirSync(backupsDir, { recursive: true });
  const target = join(backupsDir, `before-${version}-${new Date().toISOString().replaceAll(":", "")}.sqlite`);
  const db = openDatabase(database, { readonly: true });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
  const copy = openDatabase(target, { readonly: true });
  try {
    quickCheck(copy);
  } finally {
    copy.close();
  }
  return target;
}

/** Puts the backup back in place of the database (same file, so its owner and mode stay). */
function restore(backup: string, database: string): void {
  for (const side of ["-wal", "-shm"]) rmSync(`${database}${side}`, { force: true });
  copyFileSync(backup, database);
}

/**
 * An update with rollback: verify and unpack the release, stop the kiosk, back up its database, switch
 * `current`, start it, and keep the new release only if it reports healthy in time. Otherwise stop it,
 * switch back, restore the database if the new release's migrations changed it, and start the old one.
 */
export async function applyRelease(options: ApplyOptions): Promise<UpdateResult> {
  const { layout, service, say } = options;
  const release = verifyRelease(options.file, options.releaseKeyPem);
  say(`verified ${release.version} (${release.arch}, sha256 ${release.sha256.slice(0, 12)}…)`);
  unpackRelease(release, layout.releasesDir);
  const from = layout.current;
  const at = () => new Date().toISOString();
  if (from === release.version) {
    say(`${release.version} is already current`);
    return {
      version: release.version,
      from,
      state: "unchanged",
      reason: null,
      backup: null,
      databaseRestored: false,
      at: at(),
    };
  }
  if (from === null) {
    throw new KioskError(
      ErrorCodes.RELEASE_NOT_INSTALLED,
      "No current release to update from: install one with install-pi.sh first.",
    );
  }
  say(`stopping the kiosk (${from})`);
  await service.stop();
  const schemaBefore = userVersion(options.database);
  const backup = await backUp(options.database, options.backupsDir, release.version);
  say(
    backup
      ? `database backed up to ${backup} (schema ${schemaBefore})`
      : "no database yet: nothing to back up",
  );
  layout.switchTo(release.version);
  say(`switched current to ${release.version}; starting it`);
  await service.start();
  const health = await waitHealthy({
    service,
    healthUrl: options.healthUrl,
    version: release.version,
    withinMs: options.healthyWithinMs,
    steadyMs: options.steadyMs,
  });
  if (health.healthy) {
    say(`${release.version} is healthy`);
    return {
      version: release.version,
      from,
      state: "updated",
      reason: null,
      backup,
      databaseRestored: false,
      at: at(),
    };
  }
  say(`${release.version} ${health.reason}: rolling back to ${from}`);
  await service.stop();
  layout.switchTo(from);
  const schemaAfter = userVersion(options.database);
  const databaseRestored = backup !== null && schemaAfter !== schemaBefore;
  if (databaseRestored && backup) {
    restore(backup, options.database);
    say(
      `database restored from ${backup} (the new release had migrated it from schema ${schemaBefore} to ${schemaAfter})`,
    );
  }
  await service.start();
  return {
    version: release.version,
    from,
    state: "rolled-back",
    reason: `[${ErrorCodes.RELEASE_NOT_HEALTHY}] ${health.reason}`,
    backup,
    databaseRestored,
    at: at(),
  };
}

/** Writes the result where the kiosk reads it after its restart (and reports it to central). */
export function writeResult(path: string, result: UpdateResult): void {
  writeFileSync(path, `${JSON.stringify(result)}\n`);
}
