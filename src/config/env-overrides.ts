/**
 * The environment variables that override single configuration values (documented in the README).
 * They are applied to the raw configuration before it is validated, so a bad value is reported
 * like any other problem.
 */
export interface EnvOverride {
  readonly variable: string;
  readonly path: readonly string[];
  readonly type: "string" | "integer" | "boolean";
  readonly description: string;
}

export const ENV_OVERRIDES: readonly EnvOverride[] = [
  {
    variable: "SPECTRA_DEVICE_ID",
    path: ["deviceId"],
    type: "string",
    description: "this kiosk's device id",
  },
  {
    variable: "SPECTRA_DATA_DIR",
    path: ["dataDir"],
    type: "string",
    description: "where the SQLite database lives",
  },
  {
    variable: "SPECTRA_LOG_LEVEL",
    path: ["log", "level"],
    type: "string",
    description: "error, warn, info or debug",
  },
  {
    variable: "SPECTRA_UI_PORT",
    path: ["ui", "port"],
    type: "integer",
    description: "port of the screen's server",
  },
  {
    variable: "SPECTRA_READER_PATH",
    path: ["drivers", "cardReader", "path"],
    type: "string",
    description: "serial path of the card reader",
  },
  {
    variable: "SPECTRA_BROKER_URL",
    path: ["sync", "broker", "url"],
    type: "string",
    description: "MQTT broker URL (external broker mode)",
  },
  {
    variable: "SPECTRA_CENTRAL_DATABASE_URL",
    path: ["central", "database", "url"],
    type: "string",
    description: "PostgreSQL URL (central in postgres mode)",
  },
];

export type RawConfig = Record<string, unknown>;

function parseValue(override: EnvOverride, text: string): { value: unknown } | { problem: string } {
  switch (override.type) {
    case "string":
      return { value: text };
    case "integer":
      return /^-?\d+$/.test(text.trim()) ? { value: Number(text) } : { problem: "must be a whole number" };
    case "boolean":
      return text === "true" || text === "false"
        ? { value: text === "true" }
        : { problem: "must be true or false" };
  }
}

/** Returns a copy of `raw` with each set variable applied, and a `VARIABLE: problem` line per bad value. */
export function applyEnvOverrides(
  raw: RawConfig,
  env: Readonly<Record<string, string | undefined>>,
): { config: RawConfig; problems: string[] } {
  const config = structuredClone(raw);
  const problems: string[] = [];
  for (const override of ENV_OVERRIDES) {
    const text = env[override.variable];
    if (text === undefined || text === "") continue;
    const parsed = parseValue(override, text);
    if ("problem" in parsed) {
      problems.push(`${override.variable}: ${parsed.problem}`);
      continue;
    }
    let node: Record<string, unknown> = config;
    for (const key of override.path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== "object" || next === null || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[override.path[override.path.length - 1] as string] = parsed.value;
  }
  return { config, problems };
}
