import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { basename, join } from "node:path";
import mqtt from "mqtt";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processService } from "../../src/app/release/kiosk-service.js";
import { ReleaseLayout } from "../../src/app/release/release-layout.js";
import { decodeMessage, encodeMessage } from "../../src/sync/protocol/codec.js";
import {
  commandPrivateKey,
  newCommandKeyPair,
  signCommand,
} from "../../src/sync/protocol/command-signature.js";
import type { CommandResult } from "../../src/sync/protocol/messages.js";
import { uplinkFilter } from "../../src/sync/protocol/topics.js";
import { externalBroker, writeTestConfig } from "../helpers/kiosk-config.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { freePort } from "../helpers/ports.js";
import { TestReleases } from "../helpers/releases.js";
import { tempDir } from "../helpers/store.js";
import { until } from "../helpers/wait.js";

/**
 * The whole update path with a signed command: central's signed `update` → the kiosk fetches the
 * release from a web server, checks it against the release key and the signed checksum, leaves its
 * request → the update unit's command (run here as the path unit would) switches, the new release
 * starts and reports the command's end to central.
 */
const DEVICE = "kiosk-update-command-01";
const keys = newCommandKeyPair();
const work = tempDir("spectra-update-command-");
const root = join(work.path, "opt");
const dataDir = join(work.path, "data");
const layout = new ReleaseLayout(root);
const service = processService({
  root,
  config: join(work.path, "kiosk.json"),
  stateDir: join(dataDir, "updates"),
});
const releases = new TestReleases(join(work.path, "releases"));
const results: CommandResult[] = [];
let broker: PrivateMosquitto;
let central: mqtt.MqttClient;
let files: Server;
let filesUrl = "";
let port = 0;

function sha256Of(file: string): string {
  return readFileSync(`${file}.sha256`, "utf8").split(/\s+/)[0] ?? "";
}

async function sendUpdate(args: Record<string, unknown>): Promise<string> {
  const now = Date.now();
  const command = signCommand(
    {
      commandId: uuidv7(),
      deviceId: DEVICE,
      name: "update",
      args,
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 5 * 60_000).toISOString(),
      issuedBy: "ops@studio",
    } as never,
    commandPrivateKey(keys.privateKeyPem),
  ) as unknown as { commandId: string };
  const message = encodeMessage("command", DEVICE, command as never, {
    messageId: randomUUID(),
    sentAt: new Date().toISOString(),
  });
  await central.publishAsync(message.topic, message.body, { qos: 1 });
  return command.commandId;
}

const resultOf = (commandId: string, outcome: string) =>
  results.find((result) => result.commandId === commandId && result.outcome === outcome);

async function health(): Promise<Record<string, unknown> | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    return response.ok ? ((await response.json()) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

beforeAll(async () => {
  broker = await startMosquitto();
  port = await freePort();
  // The release files on a plain web server, as an operator would host them.
  files = createServer((request, response) => {
    const file = join(releases.dir, basename(request.url ?? ""));
    if (!existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
  const address = files.address();
  filesUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  writeTestConfig(work.path, "kiosk", {
    deviceId: DEVICE,
    dataDir,
    sync: { broker: externalBroker(broker.url) },
    extra: {
      ui: { port },
      remote: {
        commandPublicKey: keys.publicKeyPem,
        releaseKeyFile: releases.publicKey,
        maxClockSkewSeconds: 5,
      },
    },
  });
  central = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: "test-central" });
  await central.subscribeAsync(uplinkFilter("+"), { qos: 1 });
  central.on("message", (topic, payload) => {
    const decoded = decodeMessage(topic, payload, { direction: "up", maxBytes: 1 << 20 });
    if (decoded.ok && decoded.value.kind === "commandResult") results.push(decoded.value.payload);
  });
  const first = releases.make("9.5.0");
  const install = spawn("node", [
    "bin/spectra-kiosk.js",
    "release",
    "install",
    first,
    "--root",
    root,
    "--key",
    releases.publicKey,
  ]);
  await new Promise((resolve) => install.once("exit", resolve));
  await service.start();
  await until(async () => (await health())?.version === "9.5.0", "9.5.0 serving", 30_000, 100);
}, 120_000);

afterAll(async () => {
  await service.stop();
  await central?.endAsync();
  await broker?.dispose();
  await new Promise((resolve) => files?.close(resolve));
  work.remove();
});

describe("an update sent as a signed command", () => {
  it("refuses a release that is not the one central signed for, and asks for no install", async () => {
    const next = releases.make("9.6.0");
    const id = await sendUpdate({
      version: "9.6.0",
      url: `${filesUrl}/${basename(next)}`,
      sha256: "0".repeat(64),
    });
    await until(() => resultOf(id, "failed") !== undefined, "the refusal", 30_000);
    expect(resultOf(id, "failed")).toMatchObject({ code: "RELEASE_CHECKSUM_MISMATCH" });
    expect(existsSync(join(dataDir, "updates", "request.json"))).toBe(false);
  }, 60_000);

  it("fetches and checks the release, then the update unit switches and the new release reports completed", async () => {
    const next = join(releases.dir, "spectra-kiosk-9.6.0-linux-x64.tar.gz".replace("x64", process.arch));
    const id = await sendUpdate({
      version: "9.6.0",
      url: `${filesUrl}/${basename(next)}`,
      sha256: sha256Of(next),
    });
    await until(() => resultOf(id, "accepted") !== undefined, "the kiosk's acceptance", 30_000);
    expect(resultOf(id, "accepted")).toMatchObject({
      data: { state: "downloaded", version: "9.6.0", from: "9.5.0" },
    });
    const request = join(dataDir, "updates", "request.json");
    expect(JSON.parse(readFileSync(request, "utf8"))).toEqual({
      file: basename(next),
      version: "9.6.0",
      commandId: id,
    });

    // What spectra-kiosk-update.path starts when request.json appears (here without systemd).
    const apply = spawn(
      "node",
      [
        join(root, "current", "bin", "spectra-kiosk.js"),
        "release",
        "apply-request",
        request,
        "--config",
        join(work.path, "kiosk.json"),
        "--root",
        root,
        "--key",
        releases.publicKey,
        "--service",
        "process",
        "--within",
        "40",
        "--steady",
        "2",
      ],
      { stdio: "ignore" },
    );
    const code = await new Promise((resolve) => apply.once("exit", resolve));
    expect(code).toBe(0);
    expect(existsSync(request)).toBe(false);
    expect(layout.current).toBe("9.6.0");
    expect((await health())?.version).toBe("9.6.0");
    // The new release tells central how its command ended.
    await until(() => resultOf(id, "completed") !== undefined, "the update's end at central", 30_000);
    expect(resultOf(id, "completed")).toMatchObject({
      code: null,
      data: { state: "updated", version: "9.6.0", from: "9.5.0", databaseRestored: false },
    });
  }, 120_000);
});
