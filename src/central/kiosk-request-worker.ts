import type { Logger } from "../core/logger.js";
import type { BackoffPolicy } from "../sync/mqtt/backoff.js";
import { type BrokerEndpoint, MqttConnection } from "../sync/mqtt/mqtt-connection.js";
import { decodeMessage, encodeMessage } from "../sync/protocol/codec.js";
import { MESSAGES, type MessageKind, type Payload } from "../sync/protocol/message-map.js";
import { TOPIC_ROOT } from "../sync/protocol/topics.js";

/** Where central takes one kind of kiosk request from, and how it answers. */
export interface KioskRequestRoute<Q extends MessageKind, A extends MessageKind> {
  /** The requests, as log lines name them ("card operation"). */
  readonly what: string;
  readonly request: Q;
  readonly answer: A;
  /** The MQTT client id's prefix; a random tail makes each worker's own. */
  readonly clientPrefix: string;
  /** A request bigger than this is not one. */
  readonly maxBytes: number;
  /** What the kiosk does when no answer comes (for the log line when the broker is away). */
  readonly unanswered: string;
}

/** How the worker reaches the broker, and its clock and ids. */
export interface KioskRequestLink {
  readonly endpoint: BrokerEndpoint;
  /** null subscribes plainly (the embedded broker has no shared subscriptions). */
  readonly shareGroup: string | null;
  readonly backoff: BackoffPolicy;
  readonly logger: Logger;
  readonly newId: () => string;
  readonly now: () => Date;
}

/** The uplink of one request kind, from every kiosk, in a share group when central runs several. */
export function kioskRequestFilter(kind: MessageKind, shareGroup: string | null): string {
  const filter = `${TOPIC_ROOT}/+/${MESSAGES[kind].direction}/${MESSAGES[kind].suffix}`;
  return shareGroup === null ? filter : `$share/${shareGroup}/${filter}`;
}

/**
 * Takes one kind of request from every kiosk over MQTT and answers each on that kiosk's downlink: a
 * message that is not a valid request is dropped with its code in the log; `handle` decides the
 * answer and never throws; an answer that cannot be sent is logged, and the kiosk asks again. Nothing
 * a kiosk sends stops the worker.
 */
export class KioskRequestWorker<Q extends MessageKind, A extends MessageKind> {
  readonly #connection: MqttConnection;

  constructor(
    private readonly route: KioskRequestRoute<Q, A>,
    private readonly link: KioskRequestLink,
    private readonly handle: (deviceId: string, request: Payload<Q>) => Promise<Payload<A>>,
  ) {
    this.#connection = new MqttConnection({
      endpoint: link.endpoint,
      clientId: `${route.clientPrefix}-${link.newId().slice(-12)}`,
      clean: true,
      backoff: link.backoff,
      logger: link.logger.child("mqtt"),
      onConnected: ({ client }) => {
        client.subscribe(kioskRequestFilter(route.request, link.shareGroup), { qos: 1 }, (error) => {
          if (error) link.logger.error(`cannot subscribe to ${route.what}s: ${error.message}`);
        });
      },
      onDisconnected: () => {},
      onMessage: (topic, payload) => {
        void this.#receive(topic, payload);
      },
    });
  }

  start(): void {
    this.#connection.start();
  }

  stop(): Promise<void> {
    return this.#connection.stop();
  }

  async #receive(topic: string, payload: Buffer): Promise<void> {
    const { route, link } = this;
    const decoded = decodeMessage(topic, payload, { direction: "up", maxBytes: route.maxBytes });
    if (!decoded.ok) {
      link.logger.warn(`[${decoded.rejection.code}] ${route.what} refused: ${decoded.rejection.reason}`);
      return;
    }
    if (decoded.value.kind !== route.request) return;
    const { deviceId } = decoded.value;
    const answer = await this.handle(deviceId, decoded.value.payload as Payload<Q>);
    const session = this.#connection.session;
    if (!session) {
      link.logger.warn(
        `the answer to ${deviceId}'s ${route.what} was not sent (broker away); ${route.unanswered}`,
      );
      return;
    }
    const message = encodeMessage(route.answer, deviceId, answer, {
      messageId: link.newId(),
      sentAt: link.now().toISOString(),
    });
    await session.client
      .publishAsync(message.topic, message.body, { qos: message.qos, retain: message.retain })
      .catch((error: Error) =>
        link.logger.warn(`the answer to ${deviceId}'s ${route.what} was not sent: ${error.message}`),
      );
  }
}
