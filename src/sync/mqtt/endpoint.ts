import { readFileSync } from "node:fs";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { BrokerConfig, CentralBrokerConfig } from "../config.js";
import type { BrokerEndpoint } from "./mqtt-connection.js";

type External = Extract<BrokerConfig, { mode: "external" }>;

function external(config: External): BrokerEndpoint {
  let ca: Buffer | undefined;
  if (config.caFile) {
    try {
      ca = readFileSync(config.caFile);
    } catch (error) {
      throw new KioskError(
        ErrorCodes.SYNC_BROKER_CA_UNREADABLE,
        `Cannot read the broker's CA file ${config.caFile} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}).`,
        { caFile: config.caFile },
      );
    }
  }
  return {
    url: config.url,
    username: config.username,
    password: config.password,
    ca,
    protocolVersion: config.protocolVersion,
    keepaliveSeconds: config.keepaliveSeconds,
  };
}

/** The in-process aedes broker speaks MQTT 3.1.1 only. */
function embedded(config: Extract<BrokerConfig, { mode: "embedded" }>): BrokerEndpoint {
  return { url: `mqtt://${config.host}:${config.port}`, protocolVersion: 4, keepaliveSeconds: 30 };
}

/** Where the kiosk's agent connects. */
export function kioskEndpoint(broker: BrokerConfig): BrokerEndpoint {
  return broker.mode === "embedded" ? embedded(broker) : external(broker);
}

/** Where central connects: its own broker account, or the embedded broker the kiosk process runs. */
export function centralEndpoint(central: CentralBrokerConfig, kioskBroker: BrokerConfig): BrokerEndpoint {
  if (central.mode === "external") return external(central);
  if (kioskBroker.mode !== "embedded") {
    throw new KioskError(
      ErrorCodes.CONFIG_INVALID,
      'central.broker.mode is "embedded" but sync.broker is not: configure central.broker.url.',
    );
  }
  return embedded(kioskBroker);
}
