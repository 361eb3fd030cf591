import { EventEmitter } from "node:events";
import type { Database } from "better-sqlite3";
import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { newId as makeId } from "../../core/ids.js";
import { isKioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { ElsewhereBook } from "../../store/elsewhere-book.js";
import type { EndOfDayOutbox } from "../../store/end-of-day-outbox.js";
import type { InvoiceCache } from "../../store/invoice-cache.js";
import type { KioskLock } from "../../store/kiosk-lock.js";
import type { Outbox } from "../../store/outbox.js";
import type { SavedCardBook } from "../../store/saved-card-book.js";
import type { SyncConfig } from "../config.js";
import { type BrokerEndpoint, MqttConnection, type Session } from "../mqtt/mqtt-connection.js";
import { type InvoiceAccounts, MAX_ACCOUNTS_PAGE } from "../protocol/account-messages.js";
import { decodeMessage, encodeMessage, type Outgoing } from "../protocol/codec.js";
import type {
  CardOperationMessage,
  CardOperationResultMessage,
  Command,
  CommandResult,
  DesiredConfig,
  PaymentNotice,
  ReportedConfig,
} from "../protocol/messages.js";
import type { ReceiptEmailMessage, ReceiptEmailResultMessage } from "../protocol/receipt-messages.js";
import { downlinkFilter } from "../protocol/topics.js";
import { CatalogCursor } from "./catalog-cursor.js";
import { type CatalogPageCheck, CatalogSync } from "./catalog-sync.js";
import { EndOfDayRelay } from "./end-of-day-relay.js";
import { type HostHealthSources, readHostHealth, SYSTEM_HOST } from "./host-health/read-host-health.js";
import { OutboxRelay, type RelayStats } from "./outbox-relay.js";
import { SavedCardsRelay } from "./saved-cards-relay.js";
import { collectTelemetry, type DriverHealthSource, NO_DRIVERS } from "./telemetry.js";

/** Downlink messages are bounded too; a catalog page of 1,000 invoices is well under this. */
const MAX_DOWNLINK_BYTES = 16 * 1024 * 1024;

export interface SyncAgentDeps {
  readonly store: {
    readonly db: Database;
    readonly outbox: Outbox;
    /** Shifts, drawer counts and X/Z reports for central. */
    readonly endOfDay: EndOfDayOutbox;
    readonly invoices: InvoiceCache;
    readonly savedCards: SavedCardBook;
    /** Where central's accounts are kept; the cursor of the accounts pull is read from it. */
    readonly elsewhere?: ElsewhereBook;
    /** The kiosk's lock: reported in telemetry, and a change is reported at once. */
    readonly lock?: KioskLock;
  };
  readonly deviceId: string;
  readonly config: SyncConfig;
  readonly endpoint: BrokerEndpoint;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly softwareVersion: string;
  readonly dataDir: string;
  /** Central's signature on each catalog page, for this kiosk (src/remote/catalog-pages.ts). */
  readonly checkCatalogPage: CatalogPageCheck;
  readonly drivers?: DriverHealthSource;
  /** Where the computer's health is read (/sys, /proc, vcgencmd); default the machine's own. */
  readonly host?: HostHealthSources;
  readonly newId?: () => string;
}

export interface SyncAgentEvents {
  connected: [];
  disconnected: [];
  /** Central's desired configuration arrived (handled by issue #7). */
  desiredConfig: [DesiredConfig];
  /** A command arrived, not yet verified (issue #7 checks its signature and acts on it). */
  command: [Command];
  /** Central passed on Stripe's word that a payment page was paid or expired: look it up now. */
  paymentNotice: [PaymentNotice];
  /** Central's answer to a card operation this kiosk asked of it. */
  cardOperationResult: [CardOperationResultMessage];
  /** Central's invoice accounts (payments elsewhere), not yet verified: remote/ checks the signature. */
  invoiceAccounts: [InvoiceAccounts];
  receiptEmailResult: [ReceiptEmailResultMessage];
}

/**
 * The kiosk's side of sync: relays the outbox, keeps the invoice cache caught up, reports
 * availability (retained, with a Last Will) and telemetry. It runs in the kiosk process or alone
 * (`spectra-kiosk sync`) on the same database.
 */
export class SyncAgent extends EventEmitter<SyncAgentEvents> {
  readonly #connection: MqttConnection;
  readonly #relay: OutboxRelay;
  readonly #catalog: CatalogSync;
  readonly #savedCards: SavedCardsRelay;
  readonly #endOfDay: EndOfDayRelay;
  readonly #newId: () => string;
  #telemetryTimer: NodeJS.Timeout | null = null;
  /** Sends a telemetry report now, while connected. */
  #reportTelemetry: (() => void) | null = null;
  #stopLockReports: () => void = () => {};
  #send: ((message: Outgoing) => void) | null = null;
  #reportedConfig: ReportedConfig | null = null;
  #disconnectedAt: string | null = null;

  constructor(private readonly deps: SyncAgentDeps) {
    super();
    const { config, deviceId, clock, logger, store } = deps;
    this.#newId = deps.newId ?? makeId;
    this.#relay = new OutboxRelay({
      outbox: store.outbox,
      deviceId,
      clock,
      newId: this.#newId,
      logger: logger.child("relay"),
      options: config,
    });
    this.#catalog = new CatalogSync({
      db: store.db,
      invoices: store.invoices,
      cursor: new CatalogCursor(store.db),
      deviceId,
      clock,
      newId: this.#newId,
      logger: logger.child("catalog"),
      pageSize: config.catalogPageSize,
      checkPage: deps.checkCatalogPage,
    });
    this.#savedCards = new SavedCardsRelay({
      cards: store.savedCards,
      deviceId,
      clock,
      newId: this.#newId,
      logger: logger.child("saved-cards"),
      intervalMs: Math.max(1000, config.pollIntervalMs * 25),
    });
    this.#endOfDay = new EndOfDayRelay({
      outbox: store.endOfDay,
      deviceId,
      clock,
      newId: this.#newId,
      logger: logger.child("end-of-day"),
      intervalMs: Math.max(250, config.pollIntervalMs * 5),
      ackTimeoutMs: config.ackTimeoutMs,
    });
    this.#connection = new MqttConnection({
      endpoint: deps.endpoint,
      // The broker binds each kiosk account to this client id (config/mosquitto): no other account
      // may take it, so no one else can disconnect this kiosk or fire its Will.
      clientId: deviceId,
      clean: true,
      backoff: config.reconnect,
      logger: logger.child("mqtt"),
      will: (connectionId) => this.#state("offline", connectionId, "connection-lost"),
      onConnected: (session) => this.#connected(session),
      onDisconnected: () => this.#disconnected(),
      onMessage: (topic, payload) => this.#receive(topic, payload),
    });
  }

  get connected(): boolean {
    return this.#connection.session !== null;
  }

  get stats(): Readonly<RelayStats> {
    return this.#relay.stats;
  }

  /** When the connection to central was lost (null while connected, or before the first connection). */
  get disconnectedAt(): string | null {
    return this.connected ? null : this.#disconnectedAt;
  }

  get lastSyncAt(): string | null {
    return this.#relay.lastSyncAt;
  }

  start(): void {
    this.deps.logger.info(`sync agent for ${this.deps.deviceId} starting`, {
      broker: this.deps.endpoint.url,
    });
    this.#connection.start();
  }

  /** Sends outbox rows and telemetry now instead of at the next poll (the `sync-now` command). */
  syncNow(): boolean {
    if (!this.#send) return false;
    this.#relay.notify();
    this.#endOfDay.flush();
    return true;
  }

  /**
   * Reports telemetry now rather than at the next interval (a device's health changed that central
   * alerts on, such as the tamper switch); false when not connected (the next connection reports).
   */
  reportTelemetryNow(): boolean {
    if (!this.#reportTelemetry) return false;
    this.#reportTelemetry();
    return true;
  }

  /** Asks central for card work the kiosk's key may not do; false when not connected (nothing sent). */
  askCentral(operation: CardOperationMessage): boolean {
    const send = this.#send;
    if (!send) return false;
    send(encodeMessage("cardOperation", this.deps.deviceId, operation, this.#meta()));
    return true;
  }

  /**
   * Asks central for the invoice accounts changed after this kiosk's cursor (on every connection,
   * and again while a page says there is more); false when not connected.
   */
  requestAccounts(): boolean {
    const send = this.#send;
    if (!send) return false;
    const since = this.deps.store.elsewhere?.cursor() ?? 0;
    send(
      encodeMessage("accountsRequest", this.deps.deviceId, { since, limit: MAX_ACCOUNTS_PAGE }, this.#meta()),
    );
    return true;
  }

  /** Asks central to email a receipt; false when not connected (nothing sent, nothing queued). */
  askReceiptEmail(request: ReceiptEmailMessage): boolean {
    const send = this.#send;
    if (!send) return false;
    send(encodeMessage("receiptEmail", this.deps.deviceId, request, this.#meta()));
    return true;
  }

  /** Pulls every invoice and client again from central (the `reload-invoices` command). */
  reloadInvoices(): boolean {
    if (!this.#send) return false;
    this.#catalog.reload();
    return true;
  }

  /** Reports what became of a command; false when not connected (central shows it as unanswered). */
  reportCommandResult(result: CommandResult): boolean {
    const send = this.#send;
    if (!send) return false;
    send(encodeMessage("commandResult", this.deps.deviceId, result, this.#meta()));
    return true;
  }

  /** The configuration this kiosk runs (retained): sent now, and again on every connection. */
  reportConfig(reported: ReportedConfig): void {
    this.#reportedConfig = reported;
    this.#send?.(encodeMessage("reportedConfig", this.deps.deviceId, reported, this.#meta()));
  }

  /** Says `offline` (retained) on a clean shutdown, then disconnects; the Last Will is not sent. */
  async stop(): Promise<void> {
    this.#pause();
    await this.#connection.stop(async (session) => {
      const state = this.#state("offline", session.connectionId, "shutdown");
      await session.client.publishAsync(state.topic, state.body, { qos: state.qos, retain: state.retain });
    });
    this.deps.logger.info("sync agent stopped");
  }

  #state(
    state: "online" | "offline",
    connectionId: string,
    reason: "connected" | "shutdown" | "connection-lost",
  ): Outgoing {
    return encodeMessage("state", this.deps.deviceId, { state, connectionId, reason }, this.#meta());
  }

  #meta(): { messageId: string; sentAt: string } {
    return { messageId: this.#newId(), sentAt: this.deps.clock.now().toISOString() };
  }

  #connected(session: Session): void {
    const { client } = session;
    const send = (message: Outgoing): void => {
      client.publish(message.topic, message.body, { qos: message.qos, retain: message.retain }, (error) => {
        if (error) this.deps.logger.debug(() => `publish not confirmed: ${error.message}`);
      });
    };
    client.subscribe(downlinkFilter(this.deps.deviceId), { qos: 1 }, (error) => {
      if (error) {
        this.deps.logger.error(`cannot subscribe to the downlink: ${error.message}`);
        client.end(true);
        return;
      }
      if (this.#connection.session?.client !== client) return;
      send(this.#state("online", session.connectionId, "connected"));
      this.#send = send;
      if (this.#reportedConfig)
        send(encodeMessage("reportedConfig", this.deps.deviceId, this.#reportedConfig, this.#meta()));
      this.#relay.attach(send);
      this.#catalog.attach(send);
      this.requestAccounts();
      this.#savedCards.attach(send);
      this.#endOfDay.attach(send);
      this.#startTelemetry(send);
      this.emit("connected");
    });
  }

  #disconnected(): void {
    this.#disconnectedAt = this.deps.clock.now().toISOString();
    this.#pause();
    this.emit("disconnected");
  }

  #pause(): void {
    this.#send = null;
    this.#relay.detach();
    this.#catalog.detach();
    this.#savedCards.detach();
    this.#endOfDay.detach();
    if (this.#telemetryTimer) clearInterval(this.#telemetryTimer);
    this.#telemetryTimer = null;
    this.#reportTelemetry = null;
    this.#stopLockReports();
  }

  #startTelemetry(send: (message: Outgoing) => void): void {
    const lock = this.deps.store.lock;
    // Reports are collected side by side (reading the disk and the host takes a moment), so one asked
    // for later can be ready first; an older one finishing after it is dropped, never sent over it:
    // central's latest report is always the newest state (a door just opened stays open there).
    let asked = 0;
    let sent = 0;
    const report = (): void => {
      const number = ++asked;
      collectTelemetry({
        outbox: this.deps.store.outbox,
        drivers: this.deps.drivers ?? NO_DRIVERS,
        dataDir: this.deps.dataDir,
        softwareVersion: this.deps.softwareVersion,
        clock: this.deps.clock,
        lastSyncAt: () => this.#relay.lastSyncAt,
        ...(lock ? { lock: () => lock.state } : {}),
        host: () => readHostHealth(this.deps.host ?? SYSTEM_HOST),
      })
        .then((telemetry) => {
          if (this.#telemetryTimer === null || number < sent) return;
          sent = number;
          send(encodeMessage("telemetry", this.deps.deviceId, telemetry, this.#meta()));
        })
        .catch((error: unknown) => this.deps.logger.warn(`telemetry not sent: ${(error as Error).message}`));
    };
    this.#telemetryTimer = setInterval(report, this.deps.config.telemetryIntervalSeconds * 1000);
    this.#reportTelemetry = report;
    if (lock) {
      lock.on("changed", report);
      this.#stopLockReports = () => lock.off("changed", report);
    }
    report();
  }

  /**
   * A failure handling one message (the database busy or full while marking acks) is logged and
   * changes nothing: the records stay unsynced and are sent again, never lost.
   */
  #receive(topic: string, payload: Buffer): void {
    try {
      this.#message(topic, payload);
    } catch (error) {
      const code = isKioskError(error) ? error.code : ErrorCodes.SYNC_STORE_UNAVAILABLE;
      this.deps.logger.error(
        `[${code}] a downlink message could not be applied: ${(error as Error).message}`,
        {
          code,
          topic,
        },
      );
    }
  }

  #message(topic: string, payload: Buffer): void {
    const decoded = decodeMessage(topic, payload, { direction: "down", maxBytes: MAX_DOWNLINK_BYTES });
    if (!decoded.ok) {
      const { code, reason } = decoded.rejection;
      this.deps.logger.warn(`[${code}] ignored a downlink message: ${reason}`, { code, topic });
      return;
    }
    const message = decoded.value;
    if (message.deviceId !== this.deps.deviceId) {
      this.deps.logger.warn(`ignored a message for ${message.deviceId}`, { topic });
      return;
    }
    switch (message.kind) {
      case "recordAck":
        this.#relay.acknowledge(message.payload);
        return;
      case "catalogPage":
        this.#catalog.onPage(message.payload);
        return;
      case "catalogChanged":
        this.#catalog.onChanged(message.payload);
        return;
      case "savedCardsAck":
        this.#savedCards.acknowledge(message.payload);
        return;
      case "endOfDayAck":
        this.#endOfDay.acknowledge(message.payload);
        return;
      case "desiredConfig":
        this.emit("desiredConfig", message.payload);
        return;
      case "command":
        this.emit("command", message.payload);
        return;
      case "paymentNotice":
        this.emit("paymentNotice", message.payload);
        return;
      case "cardOperationResult":
        this.emit("cardOperationResult", message.payload);
        return;
      case "invoiceAccounts":
        this.emit("invoiceAccounts", message.payload);
        return;
      case "receiptEmailResult":
        this.emit("receiptEmailResult", message.payload);
        return;
      case "records":
      case "endOfDay":
      case "savedCards":
      case "cardOperation":
      case "receiptEmail":
      case "state":
      case "telemetry":
      case "catalogRequest":
      case "reportedConfig":
      case "commandResult":
      case "accountsRequest":
        // readEnvelope refuses uplink kinds on a downlink read; listed so the switch stays exhaustive.
        return;
    }
  }
}
