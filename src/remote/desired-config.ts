import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson } from "../core/canonical-json.js";
import { type ErrorCode, ErrorCodes } from "../core/error-codes.js";
import { ownDictionary } from "../core/own-dictionary.js";
import type { DesiredConfig, ReportedConfig } from "../sync/protocol/messages.js";
import { checkSigned, type SignedContext } from "./signed-guard.js";

export const DESIRED_CONFIG_FILE = "desired-config.json";

/** Settings by dotted path, in an object without a prototype: no key of it can reach Object.prototype. */
export type SettingsByPath = Readonly<Record<string, unknown>>;

/** A desired configuration this kiosk applied, as kept in its data directory. */
export interface AppliedDesired {
  readonly version: number;
  readonly settings: SettingsByPath;
  readonly appliedAt: string;
}

/** Whether settings make a valid configuration on top of the kiosk's own file (the app decides how). */
export type Evaluation<Config> =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly problems: string[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A settings map built from input: own entries only, and no prototype. */
export function settingsByPath(settings: Readonly<Record<string, unknown>>): SettingsByPath {
  return ownDictionary(settings);
}

export function readApplied(dataDir: string): AppliedDesired | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dataDir, DESIRED_CONFIG_FILE), "utf8"));
    if (!isRecord(parsed) || !Number.isSafeInteger(parsed.version) || !isRecord(parsed.settings)) return null;
    return {
      version: parsed.version as number,
      settings: settingsByPath(parsed.settings),
      appliedAt: String(parsed.appliedAt),
    };
  } catch {
    return null;
  }
}

/** Written to a temporary file, fsync'd, then renamed: a crash leaves the old or the new, never half. */
export function writeApplied(dataDir: string, applied: AppliedDesired): void {
  const path = join(dataDir, DESIRED_CONFIG_FILE);
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify(applied, null, 2));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

export function reportOf(
  applied: AppliedDesired | null,
  refused: ReportedConfig["refused"],
  startedAt: string,
  studio: ReportedConfig["studio"] = null,
): ReportedConfig {
  return {
    studio,
    version: applied?.version ?? null,
    settings: (applied?.settings ?? {}) as ReportedConfig["settings"],
    appliedAt: applied?.appliedAt ?? startedAt,
    refused,
  };
}

export type DesiredDecision<Config> =
  | { readonly kind: "already-applied" }
  | { readonly kind: "refused"; readonly code: ErrorCode; readonly problems: string[] }
  | { readonly kind: "apply"; readonly applied: AppliedDesired; readonly config: Config };

export interface DesiredContext<Config> extends SignedContext {
  /** The desired configuration last applied from central (null: none yet). */
  readonly lastApplied: Pick<AppliedDesired, "version" | "settings"> | null;
  /** Whether these settings make a valid configuration on top of the kiosk's own file. */
  readonly evaluate: (settings: SettingsByPath) => Evaluation<Config>;
}

const refused = (code: ErrorCode, problems: string[]): DesiredDecision<never> => ({
  kind: "refused",
  code,
  problems: problems.slice(0, 50),
});

/**
 * What to do with a desired configuration from the broker: only one central signed for this
 * kiosk, still valid, newer than the last one applied, and making a valid configuration is applied.
 * The same version with the same settings is the broker's retained copy of what runs already;
 * anything else not newer is refused.
 */
export function decideDesired<Config>(
  desired: DesiredConfig,
  context: DesiredContext<Config>,
): DesiredDecision<Config> {
  const verdict = checkSigned("desiredConfig", desired, context);
  if (!verdict.ok) return refused(verdict.code, [verdict.detail]);
  const last = context.lastApplied;
  if (last !== null && desired.version <= last.version) {
    const same =
      desired.version === last.version && canonicalJson(desired.settings) === canonicalJson(last.settings);
    if (same) return { kind: "already-applied" };
    return refused(ErrorCodes.REMOTE_CONFIG_NOT_NEWER, [
      `Version ${desired.version} is not newer than version ${last.version}, the last one applied from central.`,
    ]);
  }
  const settings = settingsByPath(desired.settings);
  const evaluation = context.evaluate(settings);
  if (!evaluation.ok) return refused(ErrorCodes.REMOTE_CONFIG_INVALID, evaluation.problems);
  return {
    kind: "apply",
    applied: { version: desired.version, settings, appliedAt: context.now.toISOString() },
    config: evaluation.config,
  };
}
