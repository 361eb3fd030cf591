import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { RawConfig } from "../config/env-overrides.js";
import { type ConfigSource, readRawConfig, validateConfig } from "../config/load.js";
import type { KioskConfig } from "../config/schema.js";
import { type ErrorCode, ErrorCodes } from "../core/error-codes.js";
import { canonicalJson } from "../sync/protocol/command-signature.js";
import type { DesiredConfig, ReportedConfig } from "../sync/protocol/messages.js";
import { settingShapeProblem } from "./managed-settings.js";
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

export type Evaluation =
  | { readonly ok: true; readonly config: KioskConfig }
  | { readonly ok: false; readonly problems: string[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Defines an own data property: unlike `node[key] = value`, it never runs a setter such as __proto__'s. */
function defineKey(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A settings map built from input: own entries only, and no prototype. */
export function settingsByPath(settings: Readonly<Record<string, unknown>>): SettingsByPath {
  const dictionary: Record<string, unknown> = Object.create(null);
  for (const [path, value] of Object.entries(settings)) defineKey(dictionary, path, value);
  return dictionary;
}

/**
 * The raw configuration with each setting written at its path. Callers check every path first
 * (settingShapeProblem): only keys the schema knows, none of __proto__, constructor or prototype.
 * The walk reads own properties only and makes new levels without a prototype all the same.
 */
function withSettings(raw: RawConfig, settings: SettingsByPath): RawConfig {
  const next = structuredClone(raw);
  for (const [path, value] of Object.entries(settings)) {
    const keys = path.split(".");
    const last = keys.pop() as string;
    let node: Record<string, unknown> = next;
    for (const key of keys) {
      const child = Object.hasOwn(node, key) ? node[key] : undefined;
      if (!isRecord(child)) defineKey(node, key, Object.create(null));
      node = node[key] as Record<string, unknown>;
    }
    defineKey(node, last, structuredClone(value));
  }
  return next;
}

/**
 * Whether desired settings would make a valid configuration on top of the kiosk's own file: every
 * path checked against the schema's managed keys before it is walked, then the whole result must
 * pass the one configuration schema.
 */
export function evaluateDesired(raw: RawConfig, settings: SettingsByPath): Evaluation {
  const problems = Object.entries(settings)
    .map(([path, value]) => settingShapeProblem(path, value))
    .filter((problem): problem is string => problem !== null);
  if (problems.length > 0) return { ok: false, problems };
  const validation = validateConfig(withSettings(raw, settings));
  return validation.ok
    ? { ok: true, config: validation.config }
    : { ok: false, problems: validation.problems };
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

export interface EffectiveConfig {
  readonly config: KioskConfig;
  /** The desired configuration in force, or null when only the local file is. */
  readonly applied: AppliedDesired | null;
  /**
   * The desired configuration last applied from central, even when it no longer validates and is
   * not in force: central's next one must be newer than it.
   */
  readonly lastApplied: AppliedDesired | null;
  /** Why a stored desired configuration was not used (it no longer validates with this file). */
  readonly ignored: string[];
}

/**
 * The configuration to run: the kiosk's file (and environment), with the desired settings last
 * applied from central on top, when they still make a valid configuration.
 */
export function loadEffectiveConfig(source: ConfigSource, base: KioskConfig): EffectiveConfig {
  const applied = readApplied(base.dataDir);
  if (!applied) return { config: base, applied: null, lastApplied: null, ignored: [] };
  const evaluation = evaluateDesired(readRawConfig(source).raw, applied.settings);
  return evaluation.ok
    ? { config: evaluation.config, applied, lastApplied: applied, ignored: [] }
    : { config: base, applied: null, lastApplied: applied, ignored: evaluation.problems };
}

export function reportOf(
  applied: AppliedDesired | null,
  refused: ReportedConfig["refused"],
  startedAt: string,
): ReportedConfig {
  return {
    version: applied?.version ?? null,
    settings: (applied?.settings ?? {}) as ReportedConfig["settings"],
    appliedAt: applied?.appliedAt ?? startedAt,
    refused,
  };
}

export type DesiredDecision =
  | { readonly kind: "already-applied" }
  | { readonly kind: "refused"; readonly code: ErrorCode; readonly problems: string[] }
  | { readonly kind: "apply"; readonly applied: AppliedDesired; readonly config: KioskConfig };

export interface DesiredContext extends SignedContext {
  /** The desired configuration last applied from central (null: none yet). */
  readonly lastApplied: Pick<AppliedDesired, "version" | "settings"> | null;
  readonly source: ConfigSource;
}

const refused = (code: ErrorCode, problems: string[]): DesiredDecision => ({
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
export function decideDesired(desired: DesiredConfig, context: DesiredContext): DesiredDecision {
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
  const evaluation = evaluateDesired(readRawConfig(context.source).raw, settings);
  if (!evaluation.ok) return refused(ErrorCodes.REMOTE_CONFIG_INVALID, evaluation.problems);
  return {
    kind: "apply",
    applied: { version: desired.version, settings, appliedAt: context.now.toISOString() },
    config: evaluation.config,
  };
}
