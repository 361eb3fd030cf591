import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVICE_KEY_SECRET, secretsDir } from "../../src/app/kiosk-secrets.js";
import { newDeviceKeyPair, sealSecret } from "../../src/core/sealed-secret.js";
import { decodeMessage, encodeMessage } from "../../src/sync/protocol/codec.js";
import {
  commandPrivateKey,
  newCommandKeyPair,
  signDesiredConfig,
} from "../../src/sync/protocol/command-signature.js";
import type { ReportedConfig } from "../../src/sync/protocol/messages.js";
import { uplinkFilter } from "../../src/sync/protocol/topics.js";
import { type CliProcess, spawnCli } from "../helpers/cli-process.js";
import { externalBroker, writeTestConfig } from "../helpers/kiosk-config.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-secrets-01";
const NAME = "authorize-net-transaction-key";
const KEY_VALUE = "7rT4xq9ZbLp2mN8w";
const central = newCommandKeyPair();
const centralKey = commandPrivateKey(central.privateKeyPem);
const device = newDeviceKeyPair();
const stranger = newDeviceKeyPair();

let broker: PrivateMosquitto;
let kiosk: CliProcess;
let client: mqtt.MqttClient;
let dir: { path: string; remove: () => void };
const reports: ReportedConfig[] = [];
const dataDir = () => join(dir.path, "data");

/** A desired configuration central signed, carrying these sealed secrets. */
function desired(
  version: number,
  secrets: Record<string, unknown>,
  tamper?: (signed: Record<string, unknown>) => void,
) {
  const signed = signDesiredConfig(
    {
      deviceId: DEVICE,
      version,
      settings: { "ui.idleTimeoutSeconds": 60 + version } as never,
      secrets: secrets as never,
      issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      issuedBy: "ops@studio",
    },
    centralKey,
  ) as unknown as Record<string, unknown>;
  tamper?.(signed);
  return encodeMessage("desiredConfig", DEVICE, signed as never, {
    messageId: randomUUID(),
    sentAt: new Date().toISOString(),
  });
}

beforeAll(async () => {
  broker = await startMosquitto();
  dir = scratchDir("spectra-secrets-");
  // What provision-device gives the kiosk: its device key, in its secret store, its own only.
  mkdirSync(secretsDir(dataDir()), { recursive: true, mode: 0o700 });
  writeFileSync(join(secretsDir(dataDir()), DEVICE_KEY_SECRET), device.privateKeyPem, { mode: 0o600 });
  const config = writeTestConfig(dir.path, "kiosk", {
    deviceId: DEVICE,
    dataDir: dataDir(),
    sync: { broker: externalBroker(broker.url) },
    extra: {
      remote: { commandPublicKey: central.publicKeyPem, maxClockSkewSeconds: 5 },
      log: { level: "debug" },
    },
  });
  client = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: "test-central-secrets" });
  await client.subscribeAsync(uplinkFilter("+"), { qos: 1 });
  client.on("message", (topic, payload) => {
    const decoded = decodeMessage(topic, payload, { direction: "up", maxBytes: 1 << 20 });
    if (decoded.ok && decoded.value.kind === "reportedConfig") reports.push(decoded.value.payload);
  });
  kiosk = spawnCli(["start", "--config", config]);
  await until(() => reports.length > 0, "the kiosk's reported configuration", 30_000);
});

afterAll(async () => {
  await kiosk?.kill();
  await client?.endAsync();
  await broker?.dispose();
  dir?.remove();
});

describe("secrets central delivers in the signed desired configuration, sealed to the kiosk", () => {
  const secretFile = () => join(secretsDir(dataDir()), NAME);
  const publish = async (message: ReturnType<typeof desired>) =>
    client.publishAsync(message.topic, message.body, { qos: 1, retain: true });
  const refusalOf = (version: number) =>
    until(
      () => reports.some((report) => report.refused?.version === version),
      `the refusal of ${version}`,
      15_000,
    ).then(
      () => reports.find((report) => report.refused?.version === version)?.refused?.problems.join(" ") ?? "",
    );

  it("refuses a secret sealed to another kiosk, and one changed after central signed it: nothing stored", async () => {
    await publish(
      desired(1, { [NAME]: sealSecret(KEY_VALUE, stranger.publicKeyPem, { deviceId: DEVICE, name: NAME }) }),
    );
    expect(await refusalOf(1)).toContain("REMOTE_SECRET_UNREADABLE");
    const sealed = sealSecret(KEY_VALUE, device.publicKeyPem, { deviceId: DEVICE, name: NAME });
    const other = sealSecret("another-key-value", device.publicKeyPem, { deviceId: DEVICE, name: NAME });
    await publish(
      desired(2, { [NAME]: sealed }, (signed) => {
        signed.secrets = { [NAME]: other };
      }),
    );
    expect(await refusalOf(2)).toContain("REMOTE_CONFIG_BAD_SIGNATURE");
    expect(existsSync(secretFile())).toBe(false);
  }, 40_000);

  it("stores a secret sealed to this kiosk, readable by its service user only, and never logs it", async () => {
    await publish(
      desired(3, { [NAME]: sealSecret(KEY_VALUE, device.publicKeyPem, { deviceId: DEVICE, name: NAME }) }),
    );
    await until(() => reports.some((report) => report.version === 3), "version 3 applied", 30_000);
    expect(readFileSync(secretFile(), "utf8")).toBe(KEY_VALUE);
    expect(statSync(secretFile()).mode & 0o777).toBe(0o600);
    expect(kiosk.output()).toContain(`stored 1 secret(s) from central: ${NAME}`);
    expect(kiosk.output()).not.toContain(KEY_VALUE);
    expect(readFileSync(join(dataDir(), "desired-config.json"), "utf8")).not.toContain(KEY_VALUE);
  }, 40_000);
});
