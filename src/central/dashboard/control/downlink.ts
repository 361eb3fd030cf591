import type { Logger } from "../../../core/logger.js";
import type { BackoffPolicy } from "../../../sync/mqtt/backoff.js";
import { type BrokerEndpoint, MqttConnection } from "../../../sync/mqtt/mqtt-connection.js";
import type { Outgoing } from "../../../sync/protocol/codec.js";

/** How long a publish may wait for the broker's PUBACK before it counts as not sent. */
const PUBLISH_TIMEOUT_MS = 5000;

/**
 * The dashboard's own broker connection, for what central sends kiosks (commands, desired
 * configuration). Clean session, no Will; it reconnects with backoff like every other client.
 */
export class Downlink {
  readonly #connection: MqttConnection;

  constructor(options: {
    endpoint: BrokerEndpoint;
    clientId: string;
    backoff: BackoffPolicy;
    logger: Logger;
    /** Called on every (re)connection: the place to publish what could not be sent before. */
    onConnected?: () => void;
  }) {
    this.#connection = new MqttConnection({
      endpoint: options.endpoint,
      clientId: options.clientId,
      clean: true,
      backoff: options.backoff,
      logger: options.logger,
      onConnected: () => options.onConnected?.(),
      onDisconnected: () => {},
      onMessage: () => {},
    });
  }

  get connected(): boolean {
    return this.#connection.session !== null;
  }

  start(): void {
    this.#connection.start();
  }

  stop(): Promise<void> {
    return this.#connection.stop();
  }

  /** Publishes and waits for the broker to take it (PUBACK at QoS 1); false if it did not. */
  async publish(message: Outgoing): Promise<boolean> {
    const session = this.#connection.session;
    if (!session) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), PUBLISH_TIMEOUT_MS);
    });
    try {
      return await Promise.race([
        session.client
          .publishAsync(message.topic, message.body, { qos: message.qos, retain: message.retain })
          .then(() => true as const),
        timeout,
      ]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
