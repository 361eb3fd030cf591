import { execFileSync, spawnSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { MqttClient } from "mqtt";
import { afterAll, describe, expect, it } from "vitest";
import { newCommandKeyPair } from "../../src/sync/protocol/command-signature.js";
import {
  ADMIN,
  connectAs,
  publishCode,
  startShippedMosquitto,
  subscribeCodes,
} from "../helpers/shipped-mosquitto.js";
import { tempDir } from "../helpers/store.js";
import { until } from "../helpers/wait.js";

const SCRIPT = fileURLToPath(new URL("../../scripts/provision-device", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/spectra-kiosk.js", import.meta.url));
const dir = tempDir("spectra-provision-");
afterAll(() => dir.remove());

describe("scripts/provision-device", () => {
  it("makes a valid configuration, and a broker account that lets the device in under its own id and topics only", async () => {
    const key = join(dir.path, "command.pub");
    writeFileSync(key, newCommandKeyPair().publicKeyPem);
    const out = join(dir.path, "out");
    const run = spawnSync(
      SCRIPT,
      [
        "--studio",
        "Lakeside Portraits",
        "--broker-url",
        "mqtt://127.0.0.1:1",
        "--command-key",
        key,
        "--processor",
        "manual",
        "--tag",
        "Front-Desk",
        "--tag",
        "mall",
        "--out",
        out,
      ],
      {
        encoding: "utf8",
      },
    );
    expect(run.status).toBe(0);
    const deviceId = /^device (\S+)$/m.exec(run.stdout)?.[1] ?? "";
    expect(deviceId).toMatch(/^kiosk-lakeside-portraits-[0-9a-f]{6}$/);
    expect(readdirSync(out).sort()).toEqual([
      `${deviceId}.broker.json`,
      `${deviceId}.device-key`,
      `${deviceId}.device-key.pub`,
      `${deviceId}.json`,
      `${deviceId}.placement.json`,
    ]);
    // Its studio and tags for central's groups (`central placement load`), checked and lowercased.
    expect(JSON.parse(readFileSync(join(out, `${deviceId}.placement.json`), "utf8"))).toEqual({
      deviceId,
      studio: "Lakeside Portraits",
      tags: ["front-desk", "mall"],
    });
    expect(run.stdout).toContain(`central placement load ${join(out, `${deviceId}.placement.json`)}`);
    // The device key: its private half for the kiosk alone, an X25519 key central seals secrets to.
    expect(statSync(join(out, `${deviceId}.device-key`)).mode & 0o777).toBe(0o600);
    expect(
      createPrivateKey(readFileSync(join(out, `${deviceId}.device-key`), "utf8")).asymmetricKeyType,
    ).toBe("x25519");
    expect(statSync(join(out, `${deviceId}.json`)).mode & 0o777).toBe(0o600);
    // It holds the broker password until the broker has hashed it.
    expect(statSync(join(out, `${deviceId}.broker.json`)).mode & 0o777).toBe(0o600);

    const configPath = join(out, `${deviceId}.json`);
    expect(spawnSync(process.execPath, [BIN, "config", "check", "--config", configPath]).status).toBe(0);
    const config = JSON.parse(readFileSync(configPath, "utf8"));
    expect(config).toMatchObject({
      deviceId,
      sync: { broker: { mode: "external", username: deviceId } },
      central: { enabled: false },
      staff: [],
      // The studio's choice: config/default.json's built-in card simulator never reaches a studio.
      processor: { kind: "manual" },
    });
    expect(config.remote.commandPublicKey).toContain("BEGIN PUBLIC KEY");

    // On the broker's host, as the command printed it: the account file, sent by the administrator.
    const broker = await startShippedMosquitto({ centralPassword: "central-secret", kiosks: {} });
    try {
      expect(run.stdout).toContain(
        `-t '$CONTROL/dynamic-security/v1' -f ${join(out, `${deviceId}.broker.json`)}`,
      );
      execFileSync("mosquitto_pub", [
        "-p",
        String(broker.port),
        "-u",
        ADMIN.username,
        "-P",
        ADMIN.password,
        "-t",
        "$CONTROL/dynamic-security/v1",
        "-f",
        join(out, `${deviceId}.broker.json`),
      ]);
      const password = config.sync.broker.password as string;
      // mosquitto_pub does not wait for the plugin's answer: the account exists once it has run.
      let connected: MqttClient | null = null;
      await until(async () => {
        connected = await connectAs(broker.url, deviceId, password, { clientId: deviceId }).catch(() => null);
        return connected !== null;
      }, "the new account");
      const client = connected as unknown as MqttClient;
      const received: string[] = [];
      client.on("message", (topic) => received.push(topic));
      // Its own downlink only; its own uplink it may write but not read.
      expect(
        await subscribeCodes(client, [
          `spectra/v1/kiosks/${deviceId}/down/#`,
          `spectra/v1/kiosks/${deviceId}/up/#`,
        ]),
      ).toEqual([1, 135]);
      await client.publishAsync(`spectra/v1/kiosks/${deviceId}/up/state`, "x", { qos: 1 });
      expect(await publishCode(client, "spectra/v1/kiosks/someone-else/up/state", "x")).toBe(135);
      await client.endAsync();
      expect(received).toEqual([]);
      // Under its own client id only, and with its own password only.
      await expect(connectAs(broker.url, deviceId, password, { clientId: "someone-else" })).rejects.toThrow();
      await expect(connectAs(broker.url, deviceId, "wrong", { clientId: deviceId })).rejects.toThrow();
    } finally {
      await broker.dispose();
    }
  });
  it("asks which card processor the studio uses, and writes Authorize.Net's section without its key", () => {
    const out = join(dir.path, "out-authnet");
    const base = ["--studio", "Hillside Photo", "--broker-url", "mqtt://127.0.0.1:1", "--out", out];
    const unasked = spawnSync(SCRIPT, base, { encoding: "utf8" });
    expect(unasked.status).not.toBe(0);
    expect(unasked.stderr).toContain("--processor");
    const noLogin = spawnSync(SCRIPT, [...base, "--processor", "authorize-net"], { encoding: "utf8" });
    expect(noLogin.status).not.toBe(0);
    expect(noLogin.stderr).toContain("[CLI_USAGE]");
    const run = spawnSync(
      SCRIPT,
      [
        ...base,
        "--processor",
        "authorize-net",
        "--authorize-net-login-id",
        "5KP3u95bQpv",
        "--authorize-net-environment",
        "sandbox",
      ],
      { encoding: "utf8" },
    );
    expect(run.status, run.stderr).toBe(0);
    const deviceId = /^device (\S+)$/m.exec(run.stdout)?.[1] ?? "";
    const configPath = join(out, `${deviceId}.json`);
    expect(spawnSync(process.execPath, [BIN, "config", "check", "--config", configPath]).status).toBe(0);
    const text = readFileSync(configPath, "utf8");
    expect(JSON.parse(text).processor).toEqual({
      kind: "authorize-net",
      environment: "sandbox",
      apiLoginId: "5KP3u95bQpv",
      transactionKeySecret: "authorize-net-transaction-key",
    });
    expect(text).not.toMatch(/transactionKey"/);
    expect(run.stdout).toContain("deliver the transaction key from central");

    const stripe = spawnSync(
      SCRIPT,
      [...base, "--processor", "stripe", "--stripe-reader-id", "tmr_FDOt2wlRZEdpd7"],
      { encoding: "utf8" },
    );
    expect(stripe.status, stripe.stderr).toBe(0);
    const stripeId = /^device (\S+)$/m.exec(stripe.stdout)?.[1] ?? "";
    const stripeConfig = join(out, `${stripeId}.json`);
    expect(spawnSync(process.execPath, [BIN, "config", "check", "--config", stripeConfig]).status).toBe(0);
    expect(JSON.parse(readFileSync(stripeConfig, "utf8")).processor).toEqual({
      kind: "stripe",
      apiKeyFile: "/etc/spectra-kiosk/stripe.key",
      readerId: "tmr_FDOt2wlRZEdpd7",
    });
    expect(stripe.stdout).toContain("restricted key");
    const retired = spawnSync(SCRIPT, [...base, "--processor", "gateway"], { encoding: "utf8" });
    expect(retired.stderr).toContain("[CLI_USAGE]");
  });
});
