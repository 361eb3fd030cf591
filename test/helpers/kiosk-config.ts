import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateCommandKey } from "../../src/central/dashboard/control/command-key.js";
import { DEFAULT_CONFIG_PATH, parseConfig } from "../../src/config/load.js";
import type { KioskConfig } from "../../src/config/schema.js";

type Raw = Record<string, unknown>;

export interface TestConfigOptions {
  readonly deviceId: string;
  readonly dataDir: string;
  /** The raw sync section (merged over fast test defaults). */
  readonly sync?: Raw;
  /** The raw central section; central is off unless given. */
  readonly central?: Raw;
  readonly logLevel?: string;
  /** Any other top-level sections, as written (e.g. `remote`). */
  readonly extra?: Raw;
}

/** config/default.json with this test's device, data directory, broker and central. */
export function rawTestConfig(options: TestConfigOptions): Raw {
  const base = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")) as Raw;
  return {
    ...base,
    deviceId: options.deviceId,
    dataDir: options.dataDir,
    sync: {
      enabled: true,
      batchSize: 100,
      lingerMs: 5,
      ackTimeoutMs: 3000,
      pollIntervalMs: 20,
      telemetryIntervalSeconds: 2,
      reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
      ...options.sync,
    },
    central: options.central ?? { enabled: false },
    // The laptop setup's built-in simulator is for people trying the kiosk; tests choose theirs.
    processor: { kind: "manual" },
    log: { level: options.logLevel ?? "warn" },
    // The screen's server on a port of the system's choosing, so parallel kiosks never collide.
    ui: { port: 0 },
    ...options.extra,
  };
}

export function testConfig(options: TestConfigOptions): KioskConfig {
  return parseConfig(rawTestConfig(options), "the test configuration");
}

/** Writes the configuration for a child process; returns its path. */
export function writeTestConfig(dir: string, name: string, options: TestConfigOptions): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(rawTestConfig(options), null, 2));
  return path;
}

/** A kiosk's broker section for a private Mosquitto. */
export const externalBroker = (url: string, extra: Raw = {}): Raw => ({
  mode: "external",
  url,
  protocolVersion: 5,
  keepaliveSeconds: 5,
  ...extra,
});

/** Central on the test's PostgreSQL database, connected to a private Mosquitto. */
export const postgresCentral = (databaseUrl: string, brokerUrl: string, ingest: Raw = {}): Raw => ({
  enabled: true,
  database: { mode: "postgres", url: databaseUrl, poolSize: 4 },
  broker: { mode: "external", url: brokerUrl, protocolVersion: 5, keepaliveSeconds: 5 },
  ingest: { reconnect: { initialDelayMs: 100, maxDelayMs: 1000 }, ...ingest },
});

/**
 * Central's command key for a test, made in `dir`: `keyFile` for central's
 * `dashboard.commandKeyFile` (central signs commands, configurations, invoice accounts and catalog
 * pages with it) and `remote`, the kiosk's section that trusts its public half.
 */
export function testCommandKey(dir: string): { keyFile: string; publicKeyPem: string; remote: Raw } {
  const keyFile = join(dir, "central-command-key.pem");
  const publicKeyPem = generateCommandKey(keyFile, { force: false });
  return { keyFile, publicKeyPem, remote: { commandPublicKey: publicKeyPem } };
}
