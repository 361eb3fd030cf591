import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCommandKey, readCommandKey } from "../../src/central/dashboard/control/command-key.js";
import { hashPin } from "../../src/checkout/staff/pin-hash.js";
import { newId } from "../../src/core/ids.js";
import { DESIRED_CONFIG_FILE } from "../../src/remote/desired-config.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import { decodeMessage, encodeMessage } from "../../src/sync/protocol/codec.js";
import {
  commandPrivateKey,
  newCommandKeyPair,
  signCommand,
  signDesiredConfig,
  type UnsignedDesiredConfig,
} from "../../src/sync/protocol/command-signature.js";
import type {
  Command,
  CommandResult,
  DesiredConfig,
  ReportedConfig,
} from "../../src/sync/protocol/messages.js";
import { schemaReady, sqlOf } from "../helpers/central-queries.js";
import { type CliProcess, spawnCli } from "../helpers/cli-process.js";
import { DashboardClient, OPERATOR } from "../helpers/dashboard.js";
import { externalBroker, writeTestConfig } from "../helpers/kiosk-config.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { freePort } from "../helpers/ports.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import {
  ADMIN,
  connectAs,
  type ShippedMosquitto,
  startShippedMosquitto,
} from "../helpers/shipped-mosquitto.js";
import { MANAGER_PIN, signIn, waitForText } from "../helpers/staff-screen.js";
import { until } from "../helpers/wait.js";

const BIN = fileURLToPath(new URL("../../bin/spectra-kiosk.js", import.meta.url));
const A = "kiosk-sig-a";
const B = "kiosk-sig-b";
const CENTRAL = "central-secret";
const PASSWORDS = { [A]: "secret-a", [B]: "secret-b" } as const;
const MALLORY_PIN = "9999";

const meta = () => ({ messageId: newId(), sentAt: new Date().toISOString() });

/**
 * Issue #18: nothing unsigned for this device may change a kiosk. Two real kiosks (A with its
 * screen in Chromium, B headless) and central with its dashboard in its own process, on the shipped
 * Mosquitto. The attacker holds what can write a kiosk's downlink — central's broker account, or
 * the broker itself — but not central's signing key.
 */
describe("signed commands and desired configuration (shipped Mosquitto, real central and kiosks)", () => {
  let broker: ShippedMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let central: CliProcess;
  let kioskA: KioskScreen;
  let kioskB: CliProcess;
  let attacker: MqttClient;
  let observer: MqttClient;
  let dashboard: DashboardClient;
  let csrf: string;
  let keyFile: string;
  let publicKeyPem: string;
  const down: { deviceId: string; kind: string; payload: unknown }[] = [];
  const results: { deviceId: string; result: CommandResult }[] = [];
  const reports: { deviceId: string; report: ReportedConfig }[] = [];

  const kioskConfig = (deviceId: keyof typeof PASSWORDS) => ({
    broker: externalBroker(broker.url, { username: deviceId, password: PASSWORDS[deviceId] }),
    telemetryIntervalSeconds: 2,
  });
  const remote = () => ({ commandPublicKey: publicKeyPem, maxClockSkewSeconds: 5 });

  /** What the attacker does: put any payload on a kiosk's downlink (the envelope is not signed). */
  const publishDown = async (kind: "command" | "desiredConfig", deviceId: string, payload: unknown) => {
    const message = encodeMessage(kind, deviceId, payload as never, meta());
    await attacker.publishAsync(message.topic, message.body, { qos: 1, retain: message.retain });
  };
  const resultOf = async (deviceId: string, commandId: string): Promise<CommandResult> => {
    const find = () =>
      results.find((entry) => entry.deviceId === deviceId && entry.result.commandId === commandId)?.result;
    await until(() => find() !== undefined, `${deviceId}'s result for ${commandId}`, 20_000);
    return find() as CommandResult;
  };
  /** The problems of the first refusal of `version` reported after the `since`-th report. */
  const refusalOf = async (deviceId: string, version: number, since = 0): Promise<string[]> => {
    const find = () =>
      reports
        .slice(since)
        .find((entry) => entry.deviceId === deviceId && entry.report.refused?.version === version)?.report;
    await until(() => find() !== undefined, `${deviceId}'s refusal of v${version}`, 20_000);
    return find()?.refused?.problems ?? [];
  };
  const runningVersion = (deviceId: string): number | null =>
    reports.filter((entry) => entry.deviceId === deviceId).at(-1)?.report.version ?? null;
  /** Reads a running kiosk's store (WAL: a second connection is safe). */
  const inStore = <T>(deviceId: string, dataDir: string, read: (store: KioskStore) => T): T => {
    const store = openTestStore(dataDir, deviceId);
    try {
      return read(store);
    } finally {
      store.close();
    }
  };
  const lockOf = (deviceId: string, dataDir: string) =>
    inStore(deviceId, dataDir, (store) => store.lock.state);
  const centralKey = () => readCommandKey(keyFile);
  const window = (minutes: number) => ({
    issuedAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + minutes * 60_000).toISOString(),
  });

  beforeAll(async () => {
    broker = await startShippedMosquitto({ centralPassword: CENTRAL, kiosks: PASSWORDS });
    database = await createTestDatabase();
    dir = scratchDir("spectra-signatures-");
    keyFile = join(dir.path, "central", "command-key.pem");
    publicKeyPem = generateCommandKey(keyFile, { force: false });

    const dashboardPort = await freePort();
    const centralConfig = writeTestConfig(dir.path, "central", {
      deviceId: "central-host",
      dataDir: join(dir.path, "central-data"),
      central: {
        enabled: true,
        database: { mode: "postgres", url: database.url, poolSize: 4 },
        broker: externalBroker(broker.url, { username: "spectra-central", password: CENTRAL }),
        ingest: { reconnect: { initialDelayMs: 100, maxDelayMs: 1000 } },
        dashboard: { enabled: true, port: dashboardPort, commandKeyFile: keyFile },
      },
    });
    central = spawnCli(["central", "--config", centralConfig]);
    await until(() => schemaReady(sqlOf(database.pool)), "central's schema", 60_000);
    const added = spawnSync(
      process.execPath,
      [BIN, "central", "user", "add", OPERATOR.name, "--config", centralConfig],
      {
        input: `${OPERATOR.password}\n`,
        encoding: "utf8",
      },
    );
    expect(added.status, added.stderr).toBe(0);

    // The attacker writes with central's broker account; the broker's administrator watches both ways.
    attacker = await connectAs(broker.url, "spectra-central", CENTRAL);
    observer = await connectAs(broker.url, ADMIN.username, ADMIN.password);
    observer.on("message", (topic, body) => {
      for (const direction of ["up", "down"] as const) {
        const decoded = decodeMessage(topic, body, { direction, maxBytes: 1 << 20 });
        if (!decoded.ok) continue;
        const { kind, deviceId, payload } = decoded.value;
        if (direction === "down") down.push({ deviceId, kind, payload });
        if (kind === "commandResult") results.push({ deviceId, result: payload });
        if (kind === "reportedConfig") reports.push({ deviceId, report: payload });
      }
    });
    await observer.subscribeAsync(["spectra/v1/kiosks/+/up/#", "spectra/v1/kiosks/+/down/#"], { qos: 1 });

    const uiPort = await freePort();
    kioskA = await startKioskScreen({
      deviceId: A,
      sync: kioskConfig(A),
      extra: { remote: remote(), ui: { host: "127.0.0.1", port: uiPort, idleTimeoutSeconds: 120 } },
    });
    kioskB = spawnCli([
      "start",
      "--config",
      writeTestConfig(dir.path, "kiosk-b", {
        deviceId: B,
        dataDir: join(dir.path, "kiosk-b"),
        sync: kioskConfig(B),
        extra: { remote: remote() },
      }),
    ]);
    await until(
      () => [A, B].every((deviceId) => reports.some((entry) => entry.deviceId === deviceId)),
      "both kiosks reporting their configuration",
      30_000,
    );
    await until(
      async () =>
        (await sqlOf(database.pool).query("SELECT 1 FROM devices WHERE state = 'online'")).length === 2,
      "both kiosks online at central",
    );
    dashboard = new DashboardClient(`http://127.0.0.1:${dashboardPort}`);
    await dashboard.signIn();
    csrf = await dashboard.csrf();
  }, 120_000);

  afterAll(async () => {
    await attacker?.endAsync(true);
    await observer?.endAsync(true);
    await kioskA?.stop();
    await kioskB?.kill();
    await central?.kill();
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("runs a command central signed for A on A only: replayed on B's downlink, B refuses it", async () => {
    const sent = await dashboard.post(`/kiosks/${A}/commands`, {
      csrf,
      name: "lock",
      reason: "Screen cleaning",
      confirm: "yes",
    });
    expect(sent.status).toBe(303);
    const commandId = sent.location?.replace("/commands/", "") ?? "";
    expect(await resultOf(A, commandId)).toMatchObject({ outcome: "completed" });
    const captured = down.find(
      (message) => message.kind === "command" && (message.payload as Command).commandId === commandId,
    )?.payload as Command;
    expect(captured).toMatchObject({ deviceId: A, name: "lock" });

    await publishDown("command", B, captured);
    expect(await resultOf(B, commandId)).toMatchObject({
      outcome: "rejected",
      code: "REMOTE_COMMAND_WRONG_DEVICE",
    });
    expect(lockOf(B, join(dir.path, "kiosk-b"))).toEqual({ locked: false });
    // Editing the target does not help: the signature covers it.
    const retargeted = { ...captured, commandId: newId(), deviceId: B };
    await publishDown("command", B, retargeted);
    expect(await resultOf(B, retargeted.commandId)).toMatchObject({ code: "REMOTE_COMMAND_BAD_SIGNATURE" });
    expect(lockOf(B, join(dir.path, "kiosk-b"))).toEqual({ locked: false });

    // Already refused before issue #18, kept so it never comes back: a replay on A itself.
    results.splice(0, results.length);
    await publishDown("command", A, captured);
    expect(await resultOf(A, commandId)).toMatchObject({
      outcome: "rejected",
      code: "REMOTE_COMMAND_REPLAYED",
    });

    const unlock = await dashboard.post(`/kiosks/${A}/commands`, { csrf, name: "unlock", confirm: "yes" });
    expect(await resultOf(A, unlock.location?.replace("/commands/", "") ?? "")).toMatchObject({
      outcome: "completed",
    });
  }, 60_000);

  it("refuses unsigned, forged, tampered and expired commands, each with its code, and changes nothing", async () => {
    const unsigned = {
      commandId: newId(),
      deviceId: B,
      name: "lock",
      args: {},
      ...window(5),
      issuedBy: "mallory",
    };
    const attempts: [Record<string, unknown>, string][] = [
      [{ ...unsigned, signature: "" }, "REMOTE_COMMAND_UNSIGNED"],
      [
        signCommand(
          { ...unsigned, commandId: newId() } as never,
          commandPrivateKey(newCommandKeyPair().privateKeyPem),
        ),
        "REMOTE_COMMAND_BAD_SIGNATURE",
      ],
      [
        {
          ...signCommand({ ...unsigned, commandId: newId() } as never, centralKey()),
          args: { reason: "tampered" },
        },
        "REMOTE_COMMAND_BAD_SIGNATURE",
      ],
      [
        signCommand(
          {
            ...unsigned,
            commandId: newId(),
            issuedAt: "2026-01-01T00:00:00.000Z",
            expiresAt: "2026-01-01T00:05:00.000Z",
          } as never,
          centralKey(),
        ),
        "REMOTE_COMMAND_EXPIRED",
      ],
    ];
    for (const [command, code] of attempts) {
      await publishDown("command", B, command);
      expect(await resultOf(B, command.commandId as string)).toMatchObject({ outcome: "rejected", code });
    }
    expect(lockOf(B, join(dir.path, "kiosk-b"))).toEqual({ locked: false });
    // Only what central signed is kept in the kiosk's command log: a forger's ids and expiries are not.
    const logged = attempts.map(([command]) =>
      inStore(B, join(dir.path, "kiosk-b"), (store) =>
        store.remoteCommands.seen(command.commandId as string),
      ),
    );
    expect(logged).toEqual([false, false, false, true]);
  }, 60_000);

  it("applies only desired configuration central signed for this kiosk and newer than the last; the screen works after", async () => {
    const push = async (deviceId: string, settings: object, baseVersion: string) => {
      const pushed = await dashboard.post(`/kiosks/${deviceId}/config`, {
        csrf,
        settings: JSON.stringify(settings),
        baseVersion,
        confirm: "yes",
      });
      expect(pushed.status, pushed.text.slice(0, 500)).toBe(303);
    };
    const signedFor = (deviceId: string, version: number): DesiredConfig => {
      const found = down.find(
        (message) =>
          message.kind === "desiredConfig" &&
          message.deviceId === deviceId &&
          (message.payload as DesiredConfig).version === version,
      );
      return found?.payload as DesiredConfig;
    };
    // Two legitimate versions for A (each applied by an orderly restart), one for B.
    await push(A, { "ui.idleTimeoutSeconds": 90 }, "");
    await until(() => runningVersion(A) === 1, "A running v1", 30_000);
    await push(A, { "ui.idleTimeoutSeconds": 100 }, "1");
    await until(() => runningVersion(A) === 2, "A running v2", 30_000);
    await push(B, { "log.level": "debug" }, "");
    await until(() => runningVersion(B) === 1, "B running v1", 30_000);
    expect(signedFor(A, 1)).toMatchObject({ deviceId: A, version: 1 });

    // What the attacker wants: a manager with a PIN of their own.
    const mallory = { id: "mal", name: "Mallory", role: "manager", pinHash: await hashPin(MALLORY_PIN) };
    const takeover = (
      version: number,
      overrides: Partial<UnsignedDesiredConfig> = {},
    ): UnsignedDesiredConfig => ({
      deviceId: A,
      version,
      settings: { staff: [mallory] },
      ...window(60),
      issuedBy: "mallory",
      ...overrides,
    });
    const attacks: [DesiredConfig, string][] = [
      [{ ...takeover(50), signature: "" }, "REMOTE_CONFIG_UNSIGNED"],
      [
        signDesiredConfig(takeover(51), commandPrivateKey(newCommandKeyPair().privateKeyPem)),
        "REMOTE_CONFIG_BAD_SIGNATURE",
      ],
      [{ ...signedFor(A, 2), version: 52, settings: { staff: [mallory] } }, "REMOTE_CONFIG_BAD_SIGNATURE"],
      [signedFor(B, 1), "REMOTE_CONFIG_WRONG_DEVICE"],
      [
        signDesiredConfig(
          takeover(53, { issuedAt: "2026-01-01T00:00:00.000Z", expiresAt: "2026-01-02T00:00:00.000Z" }),
          centralKey(),
        ),
        "REMOTE_CONFIG_EXPIRED",
      ],
      [signedFor(A, 1), "REMOTE_CONFIG_NOT_NEWER"],
      [
        signDesiredConfig(
          takeover(54, {
            settings: { "limits.__proto__.polluted": true, "limits.constructor.prototype.x": 1 },
          }),
          centralKey(),
        ),
        "REMOTE_CONFIG_INVALID",
      ],
    ];
    for (const [desired, code] of attacks) {
      const since = reports.length;
      await publishDown("desiredConfig", A, desired);
      const problems = await refusalOf(A, desired.version, since);
      expect(problems.length).toBeGreaterThan(0);
      expect(
        problems.every((problem) => problem.startsWith(`[${code}]`)),
        `${code}: ${problems.join("; ")}`,
      ).toBe(true);
    }
    expect(await refusalOf(A, 54)).toEqual([
      '[REMOTE_CONFIG_INVALID] limits.__proto__.polluted: "__proto__" is not a configuration key',
      '[REMOTE_CONFIG_INVALID] limits.constructor.prototype.x: "constructor" is not a configuration key',
    ]);

    // Nothing changed: A runs v2 as pushed, its stored configuration has no staff of Mallory's…
    expect(runningVersion(A)).toBe(2);
    const stored = JSON.parse(readFileSync(join(kioskA.dir, "data", DESIRED_CONFIG_FILE), "utf8"));
    expect(stored).toMatchObject({ version: 2, settings: { "ui.idleTimeoutSeconds": 100 } });
    expect(Object.keys(stored.settings)).toEqual(["ui.idleTimeoutSeconds"]);
    expect(kioskA.kiosk.output()).toContain("[REMOTE_CONFIG_UNSIGNED] desired configuration 50 refused");

    // …and the screen still works: Mallory's PIN is nobody's, the manager's signs in.
    await kioskA.waitForScreen("self.attract", 20_000);
    await kioskA.tap("staff");
    await kioskA.waitForScreen("staff.sign-in");
    await kioskA.typeKeys(MALLORY_PIN);
    await kioskA.tap("sign-in");
    await waitForText(kioskA, "sign-in-error", "1 of");
    await kioskA.tap("back");
    await signIn(kioskA, MANAGER_PIN);
  }, 180_000);
});
