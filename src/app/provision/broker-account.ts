import { randomBytes } from "node:crypto";
import { deviceTopic, downlinkFilter } from "../../sync/protocol/topics.js";

/** A random broker password: 24 bytes, URL-safe base64. */
export function newBrokerPassword(): string {
  return randomBytes(24).toString("base64url");
}

/** One command of Mosquitto's dynamic security plugin, as sent on `$CONTROL/dynamic-security/v1`. */
export type DynsecCommand = Readonly<Record<string, unknown>> & { readonly command: string };

/** The topic an administrator publishes dynamic security commands to. */
export const DYNSEC_TOPIC = "$CONTROL/dynamic-security/v1";

/**
 * One kiosk's broker account for Mosquitto's dynamic security plugin (config/mosquitto): a role of
 * its own that may publish only under its own uplink and subscribe to and receive only its own
 * downlink — no `$share/` subscription, no other kiosk's topics — and a client bound to the client
 * id the kiosk connects with (its device id), so no other account can take that connection over.
 */
export function deviceBrokerCommands(
  deviceId: string,
  password: string,
  studioName: string,
): { commands: DynsecCommand[] } {
  const uplink = deviceTopic(deviceId, "up", "#");
  const downlink = downlinkFilter(deviceId);
  return {
    commands: [
      {
        command: "createRole",
        rolename: deviceId,
        textname: `Kiosk ${deviceId}`,
        acls: [
          { acltype: "publishClientSend", topic: uplink, allow: true },
          { acltype: "subscribePattern", topic: downlink, allow: true },
          { acltype: "publishClientReceive", topic: downlink, allow: true },
        ],
      },
      {
        command: "createClient",
        username: deviceId,
        password,
        clientid: deviceId,
        textname: `${studioName.slice(0, 80)} (${deviceId})`,
        roles: [{ rolename: deviceId }],
      },
    ],
  };
}
