import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { newId as makeId } from "../../core/ids.js";
import type { Logger } from "../../core/logger.js";
import { backoffDelay } from "../../sync/mqtt/backoff.js";
import { type BrokerEndpoint, MqttConnection } from "../../sync/mqtt/mqtt-connection.js";
import { encodeMessage, type Outgoing } from "../../sync/protocol/codec.js";
import type { AckOutcome } from "../../sync/protocol/messages.js";
import { uplinkFilter } from "../../sync/protocol/topics.js";
import { catalogPage } from "../catalog-store.js";
import type { IngestConfig } from "../config.js";
import type { CentralDb } from "../db/central-db.js";
import { redactCardData } from "../redact-card-data.js";
import { failureKind } from "./db-errors.js";
import { classify, type Incoming, weight } from "./incoming.js";
import { refusedByDatabase } from "./refused-by-database.js";
import { type BatchWritten, writeBatch } from "./write-batch.js";

export interface IngestWorkerDeps {
  readonly db: CentralDb;
  readonly endpoint: BrokerEndpoint;
  /** null subscribes plainly (the embedded broker has no shared subscriptions). */
  readonly shareGroup: string | null;
  readonly config: IngestConfig;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly newId?: () => string;
}

export interface IngestStats {
  messages: number;
  flushes: number;
  deadLetters: number;
  outcomes: Record<AckOutcome, number>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One ingest worker: takes uplink messages from its (shared) subscription, writes them in batches
 * — one transaction each, a few at once — and acknowledges a kiosk's records only after the commit.
 * While transactions run, the next batch gathers (group commit); when the queue is full, the
 * broker's PUBACKs wait, which slows the broker's delivery to this worker instead of filling its
 * memory. Concurrent batches may carry revisions of one record: the database keeps the highest.
 */
export class IngestWorker {
  readonly #connection: MqttConnection;
  readonly #queue: Incoming[] = [];
  #queued = 0;
  readonly #waiting: (() => void)[] = [];
  /** Transactions under way; up to config.concurrentBatches at once. */
  readonly #flushing = new Set<Promise<void>>();
  #running = false;
  readonly #newId: () => string;
  readonly stats: IngestStats = {
    messages: 0,
    flushes: 0,
    deadLetters: 0,
    outcomes: { stored: 0, superseded: 0, duplicate: 0, conflict: 0, rejected: 0 },
  };

  constructor(private readonly deps: IngestWorkerDeps) {
    this.#newId = deps.newId ?? makeId;
    this.#connection = new MqttConnection({
      endpoint: deps.endpoint,
      clientId: `central-ingest-${this.#newId().slice(-12)}`,
      clean: true,
      backoff: deps.config.reconnect,
      logger: deps.logger.child("mqtt"),
      onConnected: ({ client }) => {
        client.subscribe(uplinkFilter(deps.shareGroup), { qos: 1 }, (error, granted) => {
          const refused = granted?.some((grant) => grant.qos === 128);
          if (error || refused)
            deps.logger.error(`cannot subscribe to the uplink: ${error?.message ?? "refused"}`);
          else deps.logger.info(`ingest subscribed to ${uplinkFilter(deps.shareGroup)}`);
        });
      },
      onDisconnected: () => {},
      onMessage: (topic, payload) => this.#receive(topic, payload),
      admit: (done) => {
        if (this.#queued < this.#highWater) done();
        else this.#waiting.push(done);
      },
    });
  }

  get #highWater(): number {
    return this.deps.config.maxBatchRecords * 4;
  }

  get connected(): boolean {
    return this.#connection.session !== null;
  }

  start(): void {
    this.#running = true;
    this.#connection.start();
  }

  /** Stops taking messages, then finishes what it has already taken (acknowledged to the broker). */
  async stop(): Promise<void> {
    // Take no more, write what was taken and send its acks while still connected, then leave.
    const session = this.#connection.session;
    if (session) await session.client.unsubscribeAsync(uplinkFilter(this.deps.shareGroup)).catch(() => {});
    const deadline = Date.now() + 10_000;
    while ((this.#queue.length > 0 || this.#flushing.size > 0) && Date.now() < deadline) {
      await (this.#flushing.size > 0 ? Promise.race(this.#flushing) : sleep(10));
    }
    this.#running = false;
    for (const done of this.#waiting.splice(0)) done();
    await this.#connection.stop();
  }

  #receive(topic: string, payload: Buffer): void {
    const incoming = classify(topic, payload, this.deps.config.maxMessageBytes, this.deps.config);
    if (incoming.type === "refused") {
      const { code, reason, deviceId } = incoming.letter;
      this.deps.logger.warn(
        `[${code}] dead-lettered a message on ${topic.slice(0, 120)}: ${redactCardData(reason.slice(0, 200))}`,
        {
          code,
          deviceId,
        },
      );
    }
    this.stats.messages += 1;
    this.#queue.push(incoming);
    this.#queued += weight(incoming);
    this.#kick();
  }

  #kick(): void {
    while (this.#flushing.size < this.deps.config.concurrentBatches && this.#queue.length > 0) {
      const batch: Incoming[] = [];
      let records = 0;
      while (this.#queue.length > 0) {
        const next = this.#queue[0] as Incoming;
        if (batch.length > 0 && records + weight(next) > this.deps.config.maxBatchRecords) break;
        batch.push(next);
        records += weight(next);
        this.#queue.shift();
      }
      const flush: Promise<void> = this.#flush(batch).finally(() => {
        this.#queued -= records;
        this.#flushing.delete(flush);
        while (this.#waiting.length > 0 && this.#queued < this.#highWater) this.#waiting.shift()?.();
        this.#kick();
      });
      this.#flushing.add(flush);
    }
  }

  async #flush(batch: readonly Incoming[]): Promise<void> {
    let failures = 0;
    for (;;) {
      try {
        const written = await writeBatch(this.deps.db, batch, this.deps.clock.now().toISOString());
        this.#account(written);
        this.#reply(written);
        return;
      } catch (error) {
        const kind = failureKind(error);
        if (kind === "retry-now" && failures < 5) {
          failures += 1;
          continue;
        }
        if (kind === "bad-data") {
          await this.#isolate(batch, error);
          return;
        }
        if (!this.#running) return;
        const delay = backoffDelay(failures, { initialDelayMs: 250, maxDelayMs: 10_000 });
        failures += 1;
        this.deps.logger.error(
          `[${ErrorCodes.CENTRAL_DB_UNAVAILABLE}] writing a batch failed, retrying in ${delay} ms: ${(error as Error).message}`,
          { code: ErrorCodes.CENTRAL_DB_UNAVAILABLE, items: batch.length },
        );
        await sleep(delay);
      }
    }
  }

  /** The database refused something in this batch: write its parts alone to find it. */
  async #isolate(batch: readonly Incoming[], error: unknown): Promise<void> {
    const [item] = batch;
    if (!item) return;
    if (batch.length > 1) {
      for (const part of batch) await this.#flush([part]);
    } else if (item.type === "records" && item.items.length > 1) {
      for (const record of item.items) await this.#flush([{ ...item, items: [record] }]);
    } else {
      const refused = refusedByDatabase(item, (error as Error).message);
      if (refused) await this.#flush([refused]);
      else this.deps.logger.error(`a dead letter could not be written: ${(error as Error).message}`);
    }
  }

  #account(written: BatchWritten): void {
    this.stats.flushes += 1;
    this.stats.deadLetters += written.deadLetters;
    for (const [outcome, count] of Object.entries(written.outcomes) as [AckOutcome, number][]) {
      this.stats.outcomes[outcome] += count;
    }
  }

  #publish(message: Outgoing): void {
    const session = this.#connection.session;
    // Without a connection the ack is lost; the kiosk sends the batch again and gets it then.
    session?.client.publish(message.topic, message.body, { qos: message.qos, retain: message.retain });
  }

  #reply(written: BatchWritten): void {
    const sentAt = this.deps.clock.now().toISOString();
    for (const { deviceId, ack } of written.acks) {
      this.#publish(encodeMessage("recordAck", deviceId, ack, { messageId: this.#newId(), sentAt }));
    }
    for (const { deviceId, tokens } of written.savedCardAcks) {
      this.#publish(
        encodeMessage("savedCardsAck", deviceId, { tokens }, { messageId: this.#newId(), sentAt }),
      );
    }
    for (const { deviceId, request } of written.catalogRequests) {
      catalogPage(this.deps.db, request.since, request.limit)
        .then((page) =>
          this.#publish(encodeMessage("catalogPage", deviceId, page, { messageId: this.#newId(), sentAt })),
        )
        .catch((error: unknown) =>
          this.deps.logger.error(`catalog page for ${deviceId} not sent: ${(error as Error).message}`),
        );
    }
  }
}
