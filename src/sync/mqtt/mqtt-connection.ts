import { connect, type IClientOptions, type MqttClient } from "mqtt";
import { ErrorCodes } from "../../core/error-codes.js";
import { newId } from "../../core/ids.js";
import type { Logger } from "../../core/logger.js";
import { type BackoffPolicy, backoffDelay } from "./backoff.js";

export interface BrokerEndpoint {
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly ca?: Buffer | undefined;
  readonly protocolVersion: 4 | 5;
  readonly keepaliveSeconds: number;
}

export interface WillMessage {
  readonly topic: string;
  readonly body: string;
  readonly qos: 0 | 1;
  readonly retain: boolean;
}

/** One established connection. Its id is a UUIDv7, so a later connection's id sorts after. */
export interface Session {
  readonly client: MqttClient;
  readonly connectionId: string;
}

export interface MqttConnectionOptions {
  readonly endpoint: BrokerEndpoint;
  readonly clientId: string;
  readonly clean: boolean;
  readonly backoff: BackoffPolicy;
  readonly logger: Logger;
  /** The Last Will for a new connection, made per attempt because it names that connection. */
  readonly will?: (connectionId: string) => WillMessage;
  /** Called once per established connection, before anything else uses it. */
  readonly onConnected: (session: Session) => void;
  readonly onDisconnected: () => void;
  /** Called with each incoming message of the current connection. */
  readonly onMessage: (topic: string, payload: Buffer) => void;
  /**
   * Optional flow control: the broker gets the PUBACK for an incoming QoS 1 message (and mqtt.js
   * reads the next packet) only when `done` is called.
   */
  readonly admit?: (done: () => void) => void;
}

/**
 * A broker connection that keeps trying: exponential backoff with jitter after every failure, and a
 * fresh mqtt.js client per attempt. mqtt.js's own reconnect is off, so nothing it buffered in memory
 * is replayed on a new connection — the sender's durable queue decides what is sent again.
 */
export class MqttConnection {
  #session: Session | null = null;
  #attempt: MqttClient | null = null;
  #failures = 0;
  #retry: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(private readonly options: MqttConnectionOptions) {}

  get session(): Session | null {
    return this.#session;
  }

  start(): void {
    this.#stopped = false;
    this.#open();
  }

  /** Says goodbye on the open connection (if any), then closes it; no more attempts are made. */
  async stop(goodbye?: (session: Session) => Promise<void>): Promise<void> {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    const session = this.#session;
    const attempt = this.#attempt;
    this.#session = null;
    this.#attempt = null;
    if (session && goodbye) {
      try {
        await withTimeout(goodbye(session), 3000);
      } catch (error) {
        this.options.logger.warn(`goodbye message not confirmed: ${(error as Error).message}`);
      }
    }
    if (attempt) await withTimeout(attempt.endAsync(session === null), 3000).catch(() => attempt.end(true));
  }

  #open(): void {
    const { endpoint, logger } = this.options;
    const connectionId = newId();
    const will = this.options.will?.(connectionId);
    const clientOptions: IClientOptions = {
      clientId: this.options.clientId,
      clean: this.options.clean,
      protocolVersion: endpoint.protocolVersion,
      keepalive: endpoint.keepaliveSeconds,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      queueQoSZero: false,
      resubscribe: false,
      // Otherwise mqtt-packet writes 2-byte numbers from a table of 65,536 Buffers: 6 MB of heap for
      // the few packets a kiosk sends a minute.
      writeCache: false,
      ...(endpoint.username !== undefined ? { username: endpoint.username } : {}),
      ...(endpoint.password !== undefined ? { password: endpoint.password } : {}),
      ...(endpoint.ca ? { ca: endpoint.ca } : {}),
      ...(will
        ? { will: { topic: will.topic, payload: Buffer.from(will.body), qos: will.qos, retain: will.retain } }
        : {}),
    };
    const client = connect(endpoint.url, clientOptions);
    this.#attempt = client;
    const admit = this.options.admit;
    if (admit) client.handleMessage = (_packet, done) => admit(() => done());
    let connected = false;
    client.on("connect", () => {
      if (this.#attempt !== client) return;
      connected = true;
      this.#failures = 0;
      this.#session = { client, connectionId };
      logger.info(`connected to ${endpoint.url}`, { clientId: this.options.clientId });
      this.options.onConnected(this.#session);
    });
    client.on("message", (topic, payload) => {
      if (this.#session?.client === client) this.options.onMessage(topic, payload);
    });
    let lastError: string | null = null;
    client.on("error", (error) => {
      lastError = error.message;
      logger.debug(() => `broker connection error: ${error.message}`);
    });
    client.on("close", () => {
      if (this.#attempt !== client) return;
      this.#attempt = null;
      client.removeAllListeners("message");
      client.end(true);
      if (connected) {
        this.#session = null;
        logger.warn(`lost the connection to ${endpoint.url}`);
        this.options.onDisconnected();
      }
      if (this.#stopped) return;
      const delay = backoffDelay(this.#failures, this.options.backoff);
      this.#failures += 1;
      const code = ErrorCodes.SYNC_BROKER_UNREACHABLE;
      // The first failure in a row is worth a warning; the retries that follow, an info line.
      logger[this.#failures === 1 ? "warn" : "info"](
        `[${code}] no connection to ${endpoint.url}${lastError ? ` (${lastError})` : ""}: trying again in ${delay} ms`,
        { code, failures: this.#failures },
      );
      this.#retry = setTimeout(() => {
        this.#retry = null;
        if (!this.#stopped) this.#open();
      }, delay);
    });
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
