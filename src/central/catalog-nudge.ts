import { connectAsync } from "mqtt";
import type { Clock } from "../core/clock.js";
import { newId } from "../core/ids.js";
import type { Logger } from "../core/logger.js";
import type { BrokerEndpoint } from "../sync/mqtt/mqtt-connection.js";
import { encodeMessage } from "../sync/protocol/codec.js";

/**
 * Tells each kiosk that the catalog moved to `cursor`, so connected kiosks pull now. A kiosk that
 * misses it (offline, never seen) pulls on its next connection anyway. Returns how many were told;
 * when the broker cannot be reached, logs and returns 0 — the import itself is already committed.
 */
export async function nudgeKiosks(options: {
  endpoint: BrokerEndpoint;
  deviceIds: readonly string[];
  cursor: number;
  logger: Logger;
  clock: Clock;
}): Promise<number> {
  const { endpoint, deviceIds, cursor, logger, clock } = options;
  if (deviceIds.length === 0) return 0;
  let client: Awaited<ReturnType<typeof connectAsync>>;
  try {
    client = await connectAsync(endpoint.url, {
      clientId: `central-import-${newId().slice(-12)}`,
      protocolVersion: endpoint.protocolVersion,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ...(endpoint.username !== undefined ? { username: endpoint.username } : {}),
      ...(endpoint.password !== undefined ? { password: endpoint.password } : {}),
      ...(endpoint.ca ? { ca: endpoint.ca } : {}),
    });
  } catch (error) {
    logger.warn(
      `kiosks not told about the new catalog (broker unreachable: ${(error as Error).message}); they pull when they connect`,
    );
    return 0;
  }
  try {
    const sentAt = clock.now().toISOString();
    await Promise.all(
      deviceIds.map((deviceId) => {
        const message = encodeMessage("catalogChanged", deviceId, { cursor }, { messageId: newId(), sentAt });
        return client.publishAsync(message.topic, message.body, { qos: message.qos, retain: message.retain });
      }),
    );
    return deviceIds.length;
  } finally {
    await client.endAsync();
  }
}
