import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { newId as makeId } from "../../core/ids.js";
import type { Logger } from "../../core/logger.js";
import { backoffDelay } from "../../sync/mqtt/backoff.js";
import { type BrokerEndpoint, MqttConnection } from "../../sync/mqtt/mqtt-connection.js";
import { encodeMessage, type Outgoing } from "../../sync/protocol/codec.js";
import type { AckOutcome } from "../../sync/protocol/messages.js";
import { uplinkFilter } from "../../sync/protocol/topics.js";
import type { CatalogSigner } from "../catalog-signer.js";
import type { IngestConfig } from "../config.js";
import type { CentralDb } from "../db/central-db.js";
import { type DeadLetter, storableText } from "../dead-letters.js";
import { withTimeLimit } from "../time-limit.js";
import { failureKind } from "./db-errors.js";
import { classify, type Incoming, weight } from "./incoming.js";
import type { IngestObserver } from "./ingest-observer.js";
import { OutageReport } from "./outage-report.js";
import { refusedByDatabase } from "./refused-by-database.js";
import { type BatchWritten, writeBatch } from "./write-batch.js";

export interface IngestWorkerDeps {
  readonly db: CentralDb;
  readonly endpoint: BrokerEndpoint;
  /** null subscribes plainly (the embedded broker has no shared subscriptions). */
  readonly shareGroup: string | null;
  readonly config: IngestConfig;
  /** Answers catalog requests with pages signed for the kiosk that asked. */
  readonly catalog: CatalogSigner;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly newId?: () => string;
  /** Told of each committed batch (central's metrics). */
  readonly observer?: IngestObserver;
}

export interface IngestStats {
  messages: number;
  flushes: number;
  deadLetters: number;
  outcomes: Record<AckOutcome, number>;
}

/** Serialization failures and deadlocks retried at once before they count as unavailability. */
const QUICK_RETRIES = 5;
/** How long stop waits for batches under way to commit before it gives them up. */
const STOP_BUDGET_MS = 4000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const describeError = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  const message = String((error as Error | null)?.message ?? error);
  return typeof code === "string" ? `${code} ${message}` : message;
};

/**
 * One ingest worker: takes uplink messages from its (shared) subscription, writes them in batches
 * — one transaction each, a few at once — and acknowledges a kiosk's records only after the commit.
 * While transactions run, the next batch gathers (group commit); when the queue is full, the
 * broker's PUBACKs wait, which slows the broker's delivery to this worker instead of filling its
 * memory. Concurrent batches may carry revisions of one record: the database keeps the highest.
 *
 * No message can stop it: reading one never throws (a bad one is a dead letter), data the database
 * refuses costs only the message or record at fault, and an unavailable database holds batches
 * (unacknowledged) without ever turning them into rejections.
 */
export class IngestWorker {
  readonly #connection: MqttConnection;
  readonly #queue: Incoming[] = [];
  #queued = 0;
  readonly #waiting: (() => void)[] = [];
  /** Transactions under way; up to config.concurrentBatches at once. */
  readonly #flushing = new Set<Promise<void>>();
  /** Set by stop: no retry waits any longer, and no failure is retried. */
  #stopping = false;
  /** Retry waits under way: each resolves early when called. */
  readonly #pauses = new Set<() => void>();
  readonly #outage: OutageReport;
  readonly #newId: () => string;
  readonly stats: IngestStats = {
    messages: 0,
    flushes: 0,
    deadLetters: 0,
    outcomes: { stored: 0, superseded: 0, duplicate: 0, conflict: 0, rejected: 0 },
  };

  constructor(private readonly deps: IngestWorkerDeps) {
    this.#newId = deps.newId ?? makeId;
    this.#outage = new OutageReport(deps.logger);
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
    this.#stopping = false;
    this.#connection.start();
  }

  /**
   * Takes no more messages, writes what it has taken and sends the acks while still connected,
   * then leaves — within STOP_BUDGET_MS (and the connection's own few seconds) whatever state the
   * database and the broker are in. A batch waiting for an unavailable database is given up at once;
   * nothing given up is acknowledged, so the kiosks send those records again.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const wake of [...this.#pauses]) wake();
    const deadline = Date.now() + STOP_BUDGET_MS;
    const session = this.#connection.session;
    if (session) {
      await withTimeLimit(session.client.unsubscribeAsync(uplinkFilter(this.deps.shareGroup)), 1000).catch(
        () => {},
      );
    }
    while ((this.#queue.length > 0 || this.#flushing.size > 0) && Date.now() < deadline) {
      await Promise.race([...this.#flushing, sleep(Math.max(1, Math.min(50, deadline - Date.now())))]);
    }
    const abandoned = this.#queue.length + this.#flushing.size;
    if (abandoned > 0)
      this.deps.logger.warn(`stopping with ${abandoned} batch(es) unwritten: none of them is acknowledged`);
    this.#queue.length = 0;
    for (const done of this.#waiting.splice(0)) done();
    await this.#connection.stop();
  }

  #receive(topic: string, payload: Buffer): void {
    // classify never throws: anything wrong with a message makes it a dead letter in the queue.
    const incoming = classify(topic, payload, this.deps.config.maxMessageBytes, this.deps.config);
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
      const flush: Promise<void> = this.#flush(batch)
        .catch((error: unknown) =>
          // #flush handles every failure it knows of; this keeps an unforeseen one from ending the process.
          this.deps.logger.error(`[${ErrorCodes.INTERNAL}] a batch failed: ${describeError(error)}`, {
            code: ErrorCodes.INTERNAL,
          }),
        )
        .finally(() => {
          this.#queued -= records;
          this.#flushing.delete(flush);
          while (this.#waiting.length > 0 && this.#queued < this.#highWater) this.#waiting.shift()?.();
          this.#kick();
        });
      this.#flushing.add(flush);
    }
  }

  /**
   * Writes a batch, then acknowledges it. A failure is handled by what it says (db-errors.ts): a
   * transient conflict is retried at once, a few times; data the database refuses is isolated to the
   * one message or record at fault, which becomes a dead letter; anything else means the database is
   * unavailable, and the batch is retried with backoff, unacknowledged, until it goes through or the
   * worker stops.
   */
  async #flush(batch: readonly Incoming[]): Promise<void> {
    let quickRetries = 0;
    let failures = 0;
    for (;;) {
      let written: BatchWritten;
      try {
        written = await writeBatch(this.deps.db, batch, this.deps.clock.now().toISOString());
      } catch (error) {
        const kind = failureKind(error);
        if (kind === "retry-now" && quickRetries < QUICK_RETRIES) {
          quickRetries += 1;
          continue;
        }
        if (kind === "bad-data") {
          await this.#isolate(batch, error);
          return;
        }
        if (this.#stopping) return;
        const delay = backoffDelay(failures, { initialDelayMs: 250, maxDelayMs: 10_000 });
        failures += 1;
        this.#outage.failed(error, delay);
        await this.#pause(delay);
        if (this.#stopping) return;
        continue;
      }
      this.#outage.recovered();
      this.#account(written);
      this.deps.observer?.batchWritten(batch, written, this.deps.clock.now());
      this.#logDeadLetters(written.deadLetters);
      this.#reply(written);
      return;
    }
  }

  /**
   * The database refused something in this batch for its data: write it in halves to find the
   * culprit — a batch's messages, then one message's records, then the culprit's dead-letter forms
   * (refused-by-database.ts). Each step is smaller, so this ends; halving finds one culprit among n
   * in about 2·log2(n) transactions, and the rest is stored as it would have been.
   */
  async #isolate(batch: readonly Incoming[], error: unknown): Promise<void> {
    const [item] = batch;
    if (!item) return;
    if (batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      await this.#flush(batch.slice(0, half));
      await this.#flush(batch.slice(half));
    } else if (item.type === "records" && item.items.length > 1) {
      const half = Math.ceil(item.items.length / 2);
      await this.#flush([{ ...item, items: item.items.slice(0, half) }]);
      await this.#flush([{ ...item, items: item.items.slice(half) }]);
    } else if (item.type === "end-of-day" && item.items.length > 1) {
      const half = Math.ceil(item.items.length / 2);
      await this.#flush([{ ...item, items: item.items.slice(0, half) }]);
      await this.#flush([{ ...item, items: item.items.slice(half) }]);
    } else {
      const why = describeError(error);
      const refused = refusedByDatabase(item, why);
      if (refused) await this.#flush([refused]);
      else
        this.deps.logger.error(
          `[${ErrorCodes.INTERNAL}] even a bare dead letter was refused (${storableText(why, 300)}): the message is dropped unacknowledged`,
          { code: ErrorCodes.INTERNAL },
        );
    }
  }

  /** Waits `ms`, or less should the worker stop meanwhile. */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#pauses.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#pauses.add(done);
    });
  }

  #account(written: BatchWritten): void {
    this.stats.flushes += 1;
    this.stats.deadLetters += written.deadLetters.length;
    for (const [outcome, count] of Object.entries(written.outcomes) as [AckOutcome, number][]) {
      this.stats.outcomes[outcome] += count;
    }
  }

  /** Every dead letter is logged with its code once it is kept. */
  #logDeadLetters(letters: readonly DeadLetter[]): void {
    for (const letter of letters) {
      const about = letter.recordId ? ` (record ${letter.recordId} revision ${letter.revision ?? "?"})` : "";
      this.deps.logger.warn(
        `[${letter.code}] dead letter from ${letter.deviceId ?? "an unknown kiosk"} on ${storableText(letter.topic, 120)}${storableText(about, 120)}: ${storableText(letter.reason, 200)}`,
        { code: letter.code, deviceId: letter.deviceId },
      );
    }
  }

  #publish(message: Outgoing): void {
    const session = this.#connection.session;
    // Without a connection the ack is lost; the kiosk sends the batch again and gets it then.
    session?.client.publish(message.topic, message.body, { qos: message.qos, retain: message.retain });
  }

  /** Each reply on its own: one that cannot be encoded is logged and costs no other. */
  #send(what: string, deviceId: string, encode: () => Outgoing): void {
    try {
      this.#publish(encode());
    } catch (error) {
      this.deps.logger.error(
        `[${ErrorCodes.INTERNAL}] ${what} for ${deviceId} not sent: ${describeError(error).slice(0, 300)}`,
        { code: ErrorCodes.INTERNAL },
      );
    }
  }

  #reply(written: BatchWritten): void {
    const sentAt = this.deps.clock.now().toISOString();
    for (const { deviceId, ack } of written.acks) {
      this.#send("a record ack", deviceId, () =>
        encodeMessage("recordAck", deviceId, ack, { messageId: this.#newId(), sentAt }),
      );
    }
    for (const { deviceId, ack } of written.endOfDayAcks) {
      this.#send("an end-of-day ack", deviceId, () =>
        encodeMessage("endOfDayAck", deviceId, ack, { messageId: this.#newId(), sentAt }),
      );
    }
    for (const { deviceId, tokens } of written.savedCardAcks) {
      this.#send("a saved-card ack", deviceId, () =>
        encodeMessage("savedCardsAck", deviceId, { tokens }, { messageId: this.#newId(), sentAt }),
      );
    }
    for (const { deviceId, request } of written.catalogRequests) {
      this.deps.catalog
        .pageFor(deviceId, request)
        .then((page) => {
          if (page === null) return; // no key to sign with: said once by the signer
          this.#send("a catalog page", deviceId, () =>
            encodeMessage("catalogPage", deviceId, page, { messageId: this.#newId(), sentAt }),
          );
        })
        .catch((error: unknown) =>
          this.deps.logger.error(`catalog page for ${deviceId} not sent: ${(error as Error).message}`),
        );
    }
  }
}
