import { randomUUID } from "node:crypto";
import { join } from "node:path";
import mqtt from "mqtt";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { decodeMessage, encodeMessage } from "../../src/sync/protocol/codec.js";
import {
  commandPrivateKey,
  newCommandKeyPair,
  signCommand,
  signDesiredConfig,
} from "../../src/sync/protocol/command-signature.js";
import type { CommandResult, ReportedConfig } from "../../src/sync/protocol/messages.js";
import { uplinkFilter } from "../../src/sync/protocol/topics.js";
import { type CliProcess, spawnCli } from "../helpers/cli-process.js";
import { externalBroker, writeTestConfig } from "../helpers/kiosk-config.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-remote-01";
const keys = newCommandKeyPair();
const privateKey = commandPrivateKey(keys.privateKeyPem);

let broker: PrivateMosquitto;
let kiosk: CliProcess;
let central: mqtt.MqttClient;
let dir: { path: string; remove: () => void };
const results = new Map<string, CommandResult>();
const reports: ReportedConfig[] = [];

function command(name: string, args: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    commandId: uuidv7(),
    deviceId: DEVICE,
    name,
    args,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 5 * 60_000).toISOString(),
    issuedBy: "ops@studio",
    ...overrides,
  };
}

async function send(payload: Record<string, unknown>): Promise<CommandResult> {
  const message = encodeMessage("command", DEVICE, payload as never, {
    messageId: randomUUID(),
    sentAt: new Date().toISOString(),
  });
  await central.publishAsync(message.topic, message.body, { qos: 1 });
  const id = payload.commandId as string;
  await until(() => results.has(id), `the result of ${String(payload.name)}`, 15_000).catch(
    (error: Error) => {
      throw new Error(`${error.message}\nkiosk output:\n${kiosk.output().slice(-3000)}`);
    },
  );
  return results.get(id) as CommandResult;
}

const signed = (name: string, args: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) =>
  signCommand(command(name, args, overrides) as never, privateKey) as unknown as Record<string, unknown>;

beforeAll(async () => {
  broker = await startMosquitto();
  dir = scratchDir("spectra-remote-");
  const config = writeTestConfig(dir.path, "kiosk", {
    deviceId: DEVICE,
    dataDir: join(dir.path, "data"),
    sync: { broker: externalBroker(broker.url) },
    extra: { remote: { commandPublicKey: keys.publicKeyPem, maxClockSkewSeconds: 5 } },
  });
  central = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: "test-central" });
  await central.subscribeAsync(uplinkFilter("+"), { qos: 1 });
  central.on("message", (topic, payload) => {
    const decoded = decodeMessage(topic, payload, { direction: "up", maxBytes: 1 << 20 });
    if (!decoded.ok) return;
    if (decoded.value.kind === "commandResult")
      results.set(decoded.value.payload.commandId, decoded.value.payload);
    if (decoded.value.kind === "reportedConfig") reports.push(decoded.value.payload);
  });
  kiosk = spawnCli(["start", "--config", config]);
  await until(() => reports.length > 0, "the kiosk's reported configuration", 30_000);
});

afterAll(async () => {
  await kiosk?.kill();
  await central?.endAsync();
  await broker?.dispose();
  dir?.remove();
});

const lockState = () => {
  const store = openKioskStore({
    path: join(dir.path, "data", "kiosk.sqlite"),
    deviceId: DEVICE,
    clock: systemClock,
    logger: createMemoryLogger(),
  });
  try {
    return store.lock.state;
  } finally {
    store.close();
  }
};

describe("remote management of a running kiosk", () => {
  it("reports the configuration it runs when it connects, with its studio and time zone", () => {
    expect(reports[0]).toMatchObject({
      version: null,
      refused: null,
      studio: { name: "Demo Portrait Studio", timeZone: "America/Denver" },
    });
  });

  it("runs a signed lock and unlock, and reports each", async () => {
    expect(await send(signed("lock", { reason: "Cleaning the counter" }))).toMatchObject({
      outcome: "completed",
      code: null,
    });
    expect(lockState()).toMatchObject({
      locked: true,
      reason: "Cleaning the counter",
      by: "central:ops@studio",
    });
    expect(await send(signed("unlock"))).toMatchObject({ outcome: "completed" });
    expect(lockState()).toEqual({ locked: false });
  });

  it("refuses unsigned, badly signed, expired, replayed and malformed commands with coded results", async () => {
    expect(await send(command("lock"))).toMatchObject({
      outcome: "rejected",
      code: "REMOTE_COMMAND_UNSIGNED",
    });
    const forged = signCommand(
      command("lock") as never,
      commandPrivateKey(newCommandKeyPair().privateKeyPem),
    );
    expect(await send(forged as never)).toMatchObject({
      outcome: "rejected",
      code: "REMOTE_COMMAND_BAD_SIGNATURE",
    });
    const tampered = { ...signed("lock", { reason: "a" }), args: { reason: "b" } };
    expect(await send(tampered)).toMatchObject({ outcome: "rejected", code: "REMOTE_COMMAND_BAD_SIGNATURE" });
    const old = signed(
      "lock",
      {},
      { issuedAt: "2026-01-01T00:00:00.000Z", expiresAt: "2026-01-01T00:05:00.000Z" },
    );
    expect(await send(old)).toMatchObject({ outcome: "rejected", code: "REMOTE_COMMAND_EXPIRED" });
    const once = signed("sync-now");
    expect(await send(once)).toMatchObject({ outcome: "completed" });
    results.delete(once.commandId as string);
    expect(await send(once)).toMatchObject({ outcome: "rejected", code: "REMOTE_COMMAND_REPLAYED" });
    expect(await send(signed("set-log-level", { level: "loud" }))).toMatchObject({
      outcome: "failed",
      code: "REMOTE_COMMAND_ARGS_INVALID",
    });
    expect(lockState()).toEqual({ locked: false }); // none of them changed anything
  });

  it("sends diagnostics without secrets", async () => {
    const result = await send(signed("send-diagnostics"));
    expect(result.outcome).toBe("completed");
    expect(result.data).toMatchObject({
      state: "in-service",
      syncConnected: true,
      config: { deviceId: DEVICE },
    });
    const text = JSON.stringify(result.data);
    expect(text).not.toMatch(/scrypt\$/); // staff PIN hashes
    expect(text).toContain("[redacted]");
  });

  it("refuses an invalid desired configuration and keeps the old one; applies a valid one after an orderly restart", async () => {
    const desired = (version: number, settings: Record<string, unknown>) =>
      encodeMessage(
        "desiredConfig",
        DEVICE,
        signDesiredConfig(
          {
            deviceId: DEVICE,
            version,
            settings: settings as never,
            issuedAt: new Date().toISOString(),
            expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
            issuedBy: "ops@studio",
          },
          privateKey,
        ),
        { messageId: randomUUID(), sentAt: new Date().toISOString() },
      );
    const bad = desired(1, { "limits.maxAmountMinor": -5, deviceId: "someone-else" });
    await central.publishAsync(bad.topic, bad.body, { qos: 1, retain: true });
    await until(
      () => reports.some((report) => report.refused?.version === 1),
      "the refusal of version 1",
      15_000,
    );
    const refusal = reports.find((report) => report.refused?.version === 1);
    expect(refusal).toMatchObject({ version: null });
    expect(refusal?.refused?.problems).toEqual(
      expect.arrayContaining(["[REMOTE_CONFIG_INVALID] deviceId: not a setting central may change"]),
    );

    const good = desired(2, { "limits.maxAmountMinor": 250_000, "ui.idleTimeoutSeconds": 90 });
    await central.publishAsync(good.topic, good.body, { qos: 1, retain: true });
    await until(() => reports.some((report) => report.version === 2), "version 2 applied", 30_000).catch(
      (error: Error) => {
        throw new Error(
          `${error.message}\nreports: ${JSON.stringify(reports)}\nkiosk output:\n${kiosk.output().slice(-3000)}`,
        );
      },
    );
    expect(reports.find((report) => report.version === 2)).toMatchObject({
      settings: { "limits.maxAmountMinor": 250_000, "ui.idleTimeoutSeconds": 90 },
      refused: null,
    });
    // The restarted kiosk runs it: diagnostics show the new limit.
    const result = await send(signed("send-diagnostics"));
    expect(result.data).toMatchObject({ config: { limits: { maxAmountMinor: 250_000 } } });
  }, 60_000);
});
