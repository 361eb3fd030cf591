import { readFileSync } from "node:fs";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import { packagePath } from "../core/package-root.js";
import { describeIssues } from "../core/zod-issues.js";
import { applyEnvOverrides, type RawConfig } from "./env-overrides.js";
import { type KioskConfig, kioskConfigSchema } from "./schema.js";

/** config/default.json in the package: the laptop setup (simulated hardware, embedded services). */
export const DEFAULT_CONFIG_PATH = packagePath("config", "default.json");

export interface ConfigSource {
  /** --config FILE; otherwise SPECTRA_KIOSK_CONFIG; otherwise config/default.json. */
  file?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}

export function configFilePath(source: ConfigSource): string {
  return source.file ?? source.env?.SPECTRA_KIOSK_CONFIG ?? DEFAULT_CONFIG_PATH;
}

function readJson(path: string): RawConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new KioskError(
      ErrorCodes.CONFIG_UNREADABLE,
      `Cannot read the configuration file ${path} (${reason}).`,
      {
        path,
      },
    );
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new Error("not an object");
    return parsed as RawConfig;
  } catch (error) {
    throw new KioskError(
      ErrorCodes.CONFIG_UNREADABLE,
      `The configuration file ${path} is not a JSON object: ${(error as Error).message}.`,
      { path },
    );
  }
}

export type Validation = { ok: true; config: KioskConfig } | { ok: false; problems: string[] };

export function validateConfig(raw: unknown): Validation {
  const result = kioskConfigSchema.safeParse(raw);
  return result.success
    ? { ok: true, config: result.data }
    : { ok: false, problems: describeIssues(result.error.issues) };
}

function invalid(origin: string, problems: readonly string[]): KioskError {
  return new KioskError(
    ErrorCodes.CONFIG_INVALID,
    `${origin} has ${problems.length} problem(s):\n  ${problems.join("\n  ")}`,
    { problems: problems.length },
  );
}

/** Validates a raw configuration; every problem is listed in the error, none is fixed silently. */
export function parseConfig(raw: unknown, origin = "The configuration"): KioskConfig {
  const validation = validateConfig(raw);
  if (!validation.ok) throw invalid(origin, validation.problems);
  return validation.config;
}

export interface LoadedConfig {
  config: KioskConfig;
  path: string;
}

export interface RawConfigSource {
  readonly raw: RawConfig;
  readonly path: string;
  /** `VARIABLE: problem` for each environment override that could not be applied. */
  readonly envProblems: readonly string[];
}

/** The configuration as written (file + environment), before validation. */
export function readRawConfig(source: ConfigSource = {}): RawConfigSource {
  const path = configFilePath(source);
  const { config: raw, problems } = applyEnvOverrides(readJson(path), source.env ?? {});
  return { raw, path, envProblems: problems };
}

/** Reads the file, applies the environment, validates; the error lists the problems of both at once. */
export function loadConfig(source: ConfigSource = {}): LoadedConfig {
  const { raw, path, envProblems } = readRawConfig(source);
  const validation = validateConfig(raw);
  if (!validation.ok || envProblems.length > 0) {
    throw invalid(path, [...envProblems, ...(validation.ok ? [] : validation.problems)]);
  }
  return { config: validation.config, path };
}
