import { defineKey } from "../core/own-dictionary.js";
import {
  type AppliedDesired,
  type Evaluation,
  readApplied,
  type SettingsByPath,
} from "../remote/desired-config.js";
import type { RawConfig } from "./env-overrides.js";
import { type ConfigSource, readRawConfig, validateConfig } from "./load.js";
import { settingShapeProblem } from "./managed-settings.js";
import type { KioskConfig } from "./schema.js";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

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
export function evaluateDesired(raw: RawConfig, settings: SettingsByPath): Evaluation<KioskConfig> {
  const problems = Object.entries(settings)
    .map(([path, value]) => settingShapeProblem(path, value))
    .filter((problem): problem is string => problem !== null);
  if (problems.length > 0) return { ok: false, problems };
  const validation = validateConfig(withSettings(raw, settings));
  return validation.ok
    ? { ok: true, config: validation.config }
    : { ok: false, problems: validation.problems };
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

/** How the kiosk decides whether central's settings make a valid configuration: on top of its own file, read afresh. */
export function desiredEvaluator(
  source: ConfigSource,
): (settings: SettingsByPath) => Evaluation<KioskConfig> {
  return (settings) => evaluateDesired(readRawConfig(source).raw, settings);
}
