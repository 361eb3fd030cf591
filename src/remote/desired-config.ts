import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { RawConfig } from "../config/env-overrides.js";
import { type ConfigSource, readRawConfig, validateConfig } from "../config/load.js";
import type { KioskConfig } from "../config/schema.js";
import type { DesiredConfig, ReportedConfig } from "../sync/protocol/messages.js";

/**
 * The settings central may set remotely, by dotted path (a whole section, or a path inside one, like
 * "limits.maxAmountMinor"). Device identity, hardware, broker,
 * processor credentials and data locations stay in the kiosk's own file.
 */
export const MANAGED_SETTINGS = [
  "studio.name",
  "studio.locales",
  "paymentMethods",
  "limits",
  "staff",
  "ui.idleTimeoutSeconds",
  "ui.signIn",
  "log.level",
  "processor.offline",
  "processor.collection",
  "sync.telemetryIntervalSeconds",
] as const;

export const DESIRED_CONFIG_FILE = "desired-config.json";

/** A desired configuration this kiosk applied, as kept in its data directory. */
export interface AppliedDesired {
  readonly version: number;
  readonly settings: Record<string, unknown>;
  readonly appliedAt: string;
}

export type Evaluation =
  | { readonly ok: true; readonly config: KioskConfig }
  | { readonly ok: false; readonly problems: string[] };

function withSettings(raw: RawConfig, settings: Readonly<Record<string, unknown>>): RawConfig {
  const next = structuredClone(raw);
  for (const [path, value] of Object.entries(settings)) {
    const keys = path.split(".");
    let node: Record<string, unknown> = next;
    for (const key of keys.slice(0, -1)) {
      const child = node[key];
      if (typeof child !== "object" || child === null || Array.isArray(child)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1] as string] = structuredClone(value);
  }
  return next;
}

/**
 * Whether desired settings would make a valid configuration on top of the kiosk's own file: only
 * managed settings, and the whole result must pass the one configuration schema.
 */
export function evaluateDesired(raw: RawConfig, settings: Readonly<Record<string, unknown>>): Evaluation {
  const managed = (path: string): boolean =>
    MANAGED_SETTINGS.some((allowed) => path === allowed || path.startsWith(`${allowed}.`));
  const unmanaged = Object.keys(settings).filter((path) => !managed(path));
  if (unmanaged.length > 0) {
    return { ok: false, problems: unmanaged.map((path) => `${path}: not a setting central may change`) };
  }
  const validation = validateConfig(withSettings(raw, settings));
  return validation.ok
    ? { ok: true, config: validation.config }
    : { ok: false, problems: validation.problems };
}

export function readApplied(dataDir: string): AppliedDesired | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, DESIRED_CONFIG_FILE), "utf8")) as AppliedDesired;
    return Number.isSafeInteger(parsed.version) && typeof parsed.settings === "object" ? parsed : null;
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
  /** Why a stored desired configuration was not used (it no longer validates with this file). */
  readonly ignored: string[];
}

/**
 * The configuration to run: the kiosk's file (and environment), with the desired settings last
 * applied from central on top, when they still make a valid configuration.
 */
export function loadEffectiveConfig(source: ConfigSource, base: KioskConfig): EffectiveConfig {
  const applied = readApplied(base.dataDir);
  if (!applied) return { config: base, applied: null, ignored: [] };
  const evaluation = evaluateDesired(readRawConfig(source).raw, applied.settings);
  return evaluation.ok
    ? { config: evaluation.config, applied, ignored: [] }
    : { config: base, applied: null, ignored: evaluation.problems };
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
  | { readonly kind: "stale" }
  | { readonly kind: "refused"; readonly problems: string[] }
  | { readonly kind: "apply"; readonly applied: AppliedDesired; readonly config: KioskConfig };

/** What to do with a desired configuration from central, given what runs now. */
export function decideDesired(
  desired: DesiredConfig,
  current: AppliedDesired | null,
  source: ConfigSource,
  now: Date,
): DesiredDecision {
  if (current && desired.version === current.version) return { kind: "already-applied" };
  if (current && desired.version < current.version) return { kind: "stale" };
  const evaluation = evaluateDesired(readRawConfig(source).raw, desired.settings);
  if (!evaluation.ok) return { kind: "refused", problems: evaluation.problems.slice(0, 50) };
  return {
    kind: "apply",
    applied: { version: desired.version, settings: desired.settings, appliedAt: now.toISOString() },
    config: evaluation.config,
  };
}
