import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectAsync, type IClientOptions, type MqttClient } from "mqtt";
import { DYNSEC_TOPIC, deviceBrokerCommands } from "../../src/app/provision/broker-account.js";
import { newId } from "../../src/core/ids.js";
import { type PrivateMosquitto, startMosquitto } from "./mosquitto.js";

export const SHIPPED_MOSQUITTO = fileURLToPath(new URL("../../config/mosquitto/", import.meta.url));
export const ADMIN = { username: "spectra-admin", password: "admin-secret" } as const;

/** Debian's dynamic security plugin for this machine's architecture. */
function pluginPath(): string {
  for (const dir of readdirSync("/usr/lib")) {
    const candidate = join("/usr/lib", dir, "mosquitto_dynamic_security.so");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error("mosquitto_dynamic_security.so not found under /usr/lib/*/ (package mosquitto)");
}

const settingLines = (file: string): string[] =>
  readFileSync(join(SHIPPED_MOSQUITTO, file), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));

/** The shipped mosquitto.conf with this test's plugin path and security file; the harness's listener. */
function shippedSettings(dir: string): string[] {
  return settingLines("mosquitto.conf")
    .filter((line) => !/^(listener|persistence|persistence_location)\b/.test(line))
    .map((line) =>
      line
        .replace(/^plugin \S+$/, `plugin ${pluginPath()}`)
        .replace(
          /^plugin_opt_config_file \S+$/,
          `plugin_opt_config_file ${join(dir, "dynamic-security.json")}`,
        ),
    );
}

/** The shipped TLS listener example on a free port, with a certificate made for this test. */
function tlsSettings(dir: string, port: number): string[] {
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  ssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=Test CA",
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
  );
  ssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    "broker.key",
    "-out",
    "broker.csr",
  );
  writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
  ssl(
    "x509",
    "-req",
    "-in",
    "broker.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    "san.ext",
    "-out",
    "broker.crt",
  );
  return settingLines("tls-listener.conf").map((line) =>
    line.replace(/^listener 8883$/, `listener ${port} 127.0.0.1`).replace("/etc/mosquitto/certs/", `${dir}/`),
  );
}

export interface ShippedMosquitto extends PrivateMosquitto {
  /** The kiosks' TLS listener (tls-listener.conf), when asked for. */
  readonly tlsUrl: string | null;
  /** The test CA's certificate, for clients of the TLS listener. */
  readonly ca: () => Buffer;
  /** Sends dynamic security commands as the administrator; throws on any error in the responses. */
  readonly administer: (payload: { commands: readonly object[] }) => Promise<void>;
}

/**
 * A private Mosquitto running the shipped configuration (config/mosquitto), adapted only for
 * ports and paths, with its accounts set up as docs/protocol.md tells an operator to: the dynamic
 * security file made by `mosquitto_ctrl dynsec init`, then, as the administrator, the shipped
 * spectra-roles.json, central's password, and each kiosk's account from provision-device's code.
 */
export async function startShippedMosquitto(options: {
  centralPassword: string;
  kiosks: Readonly<Record<string, string>>;
  tls?: boolean;
}): Promise<ShippedMosquitto> {
  const broker = await startMosquitto({
    anonymous: false,
    extraPorts: options.tls ? 1 : 0,
    settingsWithPorts: (dir, ports) => {
      execFileSync("mosquitto_ctrl", [
        "dynsec",
        "init",
        join(dir, "dynamic-security.json"),
        ADMIN.username,
        ADMIN.password,
      ]);
      return [...shippedSettings(dir), ...(options.tls ? tlsSettings(dir, ports[0] as number) : [])];
    },
  });
  const administer = async (payload: { commands: readonly object[] }): Promise<void> => {
    const admin = await connectAsync(broker.url, {
      protocolVersion: 5,
      clientId: `admin-${newId().slice(-8)}`,
      ...ADMIN,
      reconnectPeriod: 0,
    });
    try {
      const response = new Promise<string>((resolve) =>
        admin.once("message", (_topic, body) => resolve(body.toString())),
      );
      await admin.subscribeAsync(`${DYNSEC_TOPIC}/response`, { qos: 1 });
      await admin.publishAsync(DYNSEC_TOPIC, JSON.stringify(payload), { qos: 1 });
      const { responses } = JSON.parse(await response) as {
        responses: { command: string; error?: string }[];
      };
      const failed = responses.filter((entry) => entry.error !== undefined);
      if (failed.length > 0 || responses.length !== payload.commands.length)
        throw new Error(`dynamic security commands failed: ${JSON.stringify(responses)}`);
    } finally {
      await admin.endAsync();
    }
  };
  try {
    await administer(JSON.parse(readFileSync(join(SHIPPED_MOSQUITTO, "spectra-roles.json"), "utf8")));
    await administer({
      commands: [
        { command: "setClientPassword", username: "spectra-central", password: options.centralPassword },
      ],
    });
    for (const [deviceId, password] of Object.entries(options.kiosks))
      await administer(deviceBrokerCommands(deviceId, password, "Test studio"));
  } catch (error) {
    await broker.dispose();
    throw error;
  }
  const [tlsPort] = broker.extraPorts;
  return {
    ...broker,
    get pid() {
      return broker.pid;
    },
    tlsUrl: tlsPort === undefined ? null : `mqtts://127.0.0.1:${tlsPort}`,
    ca: () => readFileSync(join(broker.dir, "ca.crt")),
    administer,
  };
}

/** Connects to `url` as a user; rejects when the broker refuses the connection. */
export async function connectAs(
  url: string,
  username: string,
  password: string,
  options: IClientOptions = {},
): Promise<MqttClient> {
  return connectAsync(url, {
    protocolVersion: 5,
    clientId: `${username}-${newId().slice(-6)}`,
    username,
    password,
    reconnectPeriod: 0,
    ...options,
  });
}

/**
 * The broker's answer to each subscription, without throwing: the granted QoS, or a refusal
 * (MQTT 5: 135 "not authorized"; 3.1.1: 128). mqtt.js rejects a SUBACK with any refusal in it.
 */
export async function subscribeCodes(
  client: MqttClient,
  topics: readonly string[],
  qos: 0 | 1 = 1,
): Promise<number[]> {
  try {
    const granted = await client.subscribeAsync([...topics], { qos });
    return granted.map((grant) => grant.qos);
  } catch (error) {
    const packet = (error as { packet?: { granted?: number[] } }).packet;
    if (!packet?.granted) throw error;
    return packet.granted;
  }
}

/** The broker's PUBACK reason code for a QoS 1 publish (0: taken; 135: not authorized). */
export async function publishCode(client: MqttClient, topic: string, body: string | Buffer): Promise<number> {
  try {
    const packet = await client.publishAsync(topic, body, { qos: 1 });
    return (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0;
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (typeof code !== "number") throw error;
    return code;
  }
}
