import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import mqtt from "mqtt";
import { afterAll, describe, expect, it } from "vitest";
import { newCommandKeyPair } from "../../src/sync/protocol/command-signature.js";
import { startMosquitto } from "../helpers/mosquitto.js";
import { tempDir } from "../helpers/store.js";

const SCRIPT = fileURLToPath(new URL("../../scripts/provision-device", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/spectra-kiosk.js", import.meta.url));
const dir = tempDir("spectra-provision-");
afterAll(() => dir.remove());

describe("scripts/provision-device", () => {
  it("makes a valid configuration, and a broker account that lets the device in under its own topics only", async () => {
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
    expect(readdirSync(out).sort()).toEqual([`${deviceId}.acl`, `${deviceId}.json`, `${deviceId}.passwd`]);
    expect(statSync(join(out, `${deviceId}.json`)).mode & 0o777).toBe(0o600);

    const configPath = join(out, `${deviceId}.json`);
    expect(spawnSync(process.execPath, [BIN, "config", "check", "--config", configPath]).status).toBe(0);
    const config = JSON.parse(readFileSync(configPath, "utf8"));
    expect(config).toMatchObject({
      deviceId,
      sync: { broker: { mode: "external", username: deviceId } },
      central: { enabled: false },
      staff: [],
      // config/default.json runs the built-in card simulator; a studio's kiosk never does.
      processor: { kind: "manual" },
    });
    expect(config.remote.commandPublicKey).toContain("BEGIN PUBLIC KEY");

    const passwd = join(dir.path, "passwd");
    writeFileSync(passwd, readFileSync(join(out, `${deviceId}.passwd`)));
    execFileSync("chmod", ["0700", passwd]);
    const broker = await startMosquitto({
      anonymous: false,
      settings: () => [
        "per_listener_settings false",
        "allow_anonymous false",
        `password_file ${passwd}`,
        `acl_file ${join(out, `${deviceId}.acl`)}`,
      ],
    });
    try {
      const client = await mqtt.connectAsync(broker.url, {
        username: deviceId,
        password: config.sync.broker.password,
        protocolVersion: 5,
        reconnectPeriod: 0,
      });
      const received: string[] = [];
      client.on("message", (topic) => received.push(topic));
      await client.subscribeAsync(`spectra/v1/kiosks/${deviceId}/up/#`);
      await client.publishAsync(`spectra/v1/kiosks/${deviceId}/up/state`, "x", { qos: 1 });
      await client
        .publishAsync("spectra/v1/kiosks/someone-else/up/state", "x", { qos: 1 })
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await client.endAsync();
      // It may write its own uplink; Mosquitto drops what the ACL forbids (reading its own uplink included).
      expect(received).toEqual([]);
      await expect(
        mqtt.connectAsync(broker.url, {
          username: deviceId,
          password: "wrong",
          protocolVersion: 5,
          reconnectPeriod: 0,
        }),
      ).rejects.toThrow();
    } finally {
      await broker.dispose();
    }
  });
});
