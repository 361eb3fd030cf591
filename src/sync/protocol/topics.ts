/**
 * Topic layout of protocol v1. Everything a kiosk sends is under its own `up/`, everything sent to
 * it under its own `down/`, so a broker role of two rules per direction confines each device to
 * its own id (src/app/provision/broker-account.ts, docs/protocol.md "Broker accounts").
 */
export const TOPIC_ROOT = "spectra/v1/kiosks";

/** The same rule as the configuration's deviceId: it is also the device's broker user name. */
export const DEVICE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,62}$/;

export type Direction = "up" | "down";

export function isDeviceId(value: string): boolean {
  return DEVICE_ID_PATTERN.test(value);
}

export function deviceTopic(deviceId: string, direction: Direction, suffix: string): string {
  return `${TOPIC_ROOT}/${deviceId}/${direction}/${suffix}`;
}

/** What a kiosk subscribes to: its own downlink, nothing else. */
export function downlinkFilter(deviceId: string): string {
  return `${TOPIC_ROOT}/${deviceId}/down/#`;
}

/**
 * What central's ingest subscribes to: every kiosk's uplink. With a group name the subscription is
 * shared (`$share/group/...`) so N workers split the load; MQTT 5 defines it, and Mosquitto 2 shares
 * among 3.1.1 clients too. The embedded aedes broker has no shared subscriptions: one worker, no group.
 */
export function uplinkFilter(shareGroup: string | null): string {
  const filter = `${TOPIC_ROOT}/+/up/#`;
  return shareGroup === null ? filter : `$share/${shareGroup}/${filter}`;
}

export interface TopicParts {
  readonly deviceId: string;
  readonly direction: Direction;
  /** What follows `up/` or `down/`, e.g. "records" or "config/desired". */
  readonly suffix: string;
}

/** Splits a topic of this protocol; null for anything else (another version, a malformed id...). */
export function parseTopic(topic: string): TopicParts | null {
  const prefix = `${TOPIC_ROOT}/`;
  if (!topic.startsWith(prefix)) return null;
  const [deviceId, direction, ...rest] = topic.slice(prefix.length).split("/");
  if (deviceId === undefined || !isDeviceId(deviceId)) return null;
  if (direction !== "up" && direction !== "down") return null;
  if (rest.length === 0 || rest.some((level) => level === "")) return null;
  return { deviceId, direction, suffix: rest.join("/") };
}
