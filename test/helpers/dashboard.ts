import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { catalogPageCheckFor } from "../../src/app/catalog-page-check.js";
import { type RunningCentral, startCentral } from "../../src/central/central.js";
import { addUser } from "../../src/central/dashboard/auth/users.js";
import { generateCommandKey } from "../../src/central/dashboard/control/command-key.js";
import { managedSettingsCheck } from "../../src/config/managed-settings.js";
import { type Clock, systemClock } from "../../src/core/clock.js";
import { newId } from "../../src/core/ids.js";
import { createMemoryLogger, type Logger } from "../../src/core/logger.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { HostHealthSources } from "../../src/sync/agent/host-health/read-host-health.js";
import { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import type { DriverHealthSource } from "../../src/sync/agent/telemetry.js";
import { kioskEndpoint } from "../../src/sync/mqtt/endpoint.js";
import { encodeMessage } from "../../src/sync/protocol/codec.js";
import type { MessageKind, Payload } from "../../src/sync/protocol/message-map.js";
import { externalBroker, postgresCentral, testConfig } from "./kiosk-config.js";
import { scratchDir } from "./kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "./mosquitto.js";
import { createTestDatabase, type TestDatabase } from "./postgres.js";

export const OPERATOR = { name: "ops@studio", password: "correct horse battery staple" } as const;

export interface Fleet {
  readonly broker: PrivateMosquitto;
  readonly database: TestDatabase;
  readonly central: RunningCentral;
  readonly url: string;
  readonly dir: string;
  readonly keyFile: string;
  /** The public key kiosks verify commands with (PEM). */
  readonly publicKeyPem: string;
  readonly logger: Logger & { lines: string[] };
  stop(): Promise<void>;
}

/**
 * Central on the test's own PostgreSQL database and private Mosquitto, with the dashboard on a
 * free port, a command key, and one operator.
 */
export async function startFleet(
  dashboard: Record<string, unknown> = {},
  central: Record<string, unknown> = {},
  options: { clock?: Clock } = {},
): Promise<Fleet> {
  const broker = await startMosquitto();
  const database = await createTestDatabase();
  const dir = scratchDir("spectra-dashboard-");
  const keyFile = join(dir.path, "central", "command-key.pem");
  const publicKeyPem = generateCommandKey(keyFile, { force: false });
  const logger = createMemoryLogger();
  const config = testConfig({
    deviceId: "central-test",
    dataDir: dir.path,
    central: {
      ...postgresCentral(database.url, broker.url),
      dashboard: { enabled: true, port: 0, commandKeyFile: keyFile, ...dashboard },
      ...central,
    },
  });
  const running = await startCentral({
    config: config.central,
    kioskBroker: config.sync.broker,
    logger,
    clock: options.clock ?? systemClock,
    settingsCheck: managedSettingsCheck,
  });
  if (!running.dashboard) throw new Error(`the dashboard did not start:\n${logger.lines.join("\n")}`);
  await addUser(running.db, OPERATOR.name, OPERATOR.password, new Date().toISOString(), { replace: false });
  return {
    broker,
    database,
    central: running,
    url: running.dashboard.url,
    dir: dir.path,
    keyFile,
    publicKeyPem,
    logger,
    stop: async () => {
      await running.stop();
      await broker.dispose();
      await database.drop();
      dir.remove();
    },
  };
}

/** Health as the drivers would report it, fixed for the test. */
export const SAMPLE_HEALTH: DriverHealthSource = {
  health: () => ({
    "card-reader": { status: "connected", detail: null },
    printer: { status: "paper-out", detail: "cover open" },
    gpio: { status: "simulated", detail: null },
  }),
};

/**
 * A real sync agent for `deviceId` on the fleet's broker, with driver health; it applies catalog
 * pages signed with the key whose public half is `options.centralKeyPem` (none: every page refused).
 */
export function startKioskAgent(
  store: KioskStore,
  deviceId: string,
  brokerUrl: string,
  drivers: DriverHealthSource = SAMPLE_HEALTH,
  options: { host?: HostHealthSources; centralKeyPem?: string } = {},
): SyncAgent {
  const config = testConfig({
    deviceId,
    dataDir: "/tmp",
    sync: { broker: externalBroker(brokerUrl) },
    extra: { remote: { commandPublicKey: options.centralKeyPem ?? null } },
  });
  const logger = createMemoryLogger();
  const agent = new SyncAgent({
    store,
    deviceId,
    config: config.sync,
    endpoint: kioskEndpoint(config.sync.broker),
    logger,
    clock: systemClock,
    softwareVersion: "9.8.7",
    dataDir: "/tmp",
    checkCatalogPage: catalogPageCheckFor(config, systemClock, logger),
    drivers,
    ...(options.host ? { host: options.host } : {}),
  });
  agent.start();
  return agent;
}

/** A plain MQTT client on the private broker (anonymous), for watching and impersonating. */
export function mqttClient(url: string): Promise<MqttClient> {
  return connectAsync(url, {
    clientId: `test-${newId().slice(-12)}`,
    protocolVersion: 5,
    reconnectPeriod: 0,
  });
}

/** Publishes what a kiosk would, as the kiosk (the private broker has no ACL). */
export async function publishAs<K extends MessageKind>(
  client: MqttClient,
  kind: K,
  deviceId: string,
  payload: Payload<K>,
): Promise<void> {
  const message = encodeMessage(kind, deviceId, payload, {
    messageId: newId(),
    sentAt: new Date().toISOString(),
  });
  await client.publishAsync(message.topic, message.body, { qos: 1, retain: message.retain });
}

export interface Page {
  readonly status: number;
  readonly location: string | null;
  readonly text: string;
  readonly headers: Headers;
}

/** A browser-like HTTP client: keeps cookies, does not follow redirects, reads CSRF tokens from forms. */
export class DashboardClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  #cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  #keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async #send(path: string, init: RequestInit): Promise<Page> {
    const response = await fetch(new URL(path, this.base), {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: this.#cookieHeader() },
    });
    this.#keep(response);
    return {
      status: response.status,
      location: response.headers.get("location"),
      text: await response.text(),
      headers: response.headers,
    };
  }

  get(path: string): Promise<Page> {
    return this.#send(path, { method: "GET" });
  }

  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    return this.#send(path, {
      method: "POST",
      body: new URLSearchParams(fields).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    });
  }

  /** The CSRF token of the first form on a page. */
  static csrfOf(page: Page): string {
    const match = /name="csrf" value="([^"]+)"/.exec(page.text);
    if (!match?.[1]) throw new Error(`no CSRF token on the page (status ${page.status})`);
    return match[1];
  }

  async signIn(name: string = OPERATOR.name, password: string = OPERATOR.password): Promise<Page> {
    const form = await this.get("/sign-in");
    return this.post("/sign-in", { csrf: DashboardClient.csrfOf(form), name, password, next: "/" });
  }

  /** The session's CSRF token, from a page that has forms (the overview's sign-out form). */
  async csrf(): Promise<string> {
    return DashboardClient.csrfOf(await this.get("/"));
  }
}
