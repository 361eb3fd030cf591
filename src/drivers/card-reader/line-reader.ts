import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import { ReadlineParser } from "@serialport/parser-readline";
import type { Clock } from "../../core/clock.js";
import type { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { CardPrefixRule } from "../../payments/card/card-brand.js";
import { LineGuard } from "../serial/line-guard.js";
import { type Backoff, type PortHealth, ReconnectingPort } from "../serial/reconnecting-port.js";
import type { TransportFactory } from "../serial/transport.js";
import type { CardRead, SwipeSecrets } from "./card-read.js";
import type { InvoiceScan, ScanOptions } from "./invoice-scan.js";
import { type LineEvent, type LineRole, routeLine } from "./line-router.js";

export interface ReaderHealth extends PortHealth {
  readonly device: string;
  /** True when the line is the in-memory simulator, not a real port. */
  readonly simulated: boolean;
}

export interface CardReaderEvents {
  cardRead: [CardRead];
  cardRejected: [KioskError];
  invoiceScan: [InvoiceScan];
  scanRejected: [KioskError];
  health: [ReaderHealth];
}

export interface LineReaderOptions {
  /** "card-reader" or "scanner": names the device in health and logs. */
  readonly device: string;
  readonly open: TransportFactory;
  readonly simulated: boolean;
  readonly lineEnding: string;
  readonly maxLineLength: number;
  readonly role: LineRole;
  readonly prefixes: readonly CardPrefixRule[];
  readonly rejectExpired: boolean;
  readonly scan: ScanOptions;
  /** Clear card data not used by then is wiped anyway. */
  readonly secretsTtlMs: number;
  readonly backoff: Backoff;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * A card reader and/or barcode scanner on a serial line: bytes → capped lines → typed events. The
 * line is kept open by ReconnectingPort; a fresh parser is started on every connection so half a
 * line from before an unplug never joins the next one. The raw line never leaves `#onLine`.
 */
export class LineReader extends EventEmitter<CardReaderEvents> {
  readonly #options: LineReaderOptions;
  readonly #port: ReconnectingPort;
  /** Swipes' card data not yet used or expired, wiped when the reader closes. */
  readonly #held = new Set<SwipeSecrets>();

  constructor(options: LineReaderOptions) {
    super();
    this.#options = options;
    this.#port = new ReconnectingPort({
      open: options.open,
      backoff: options.backoff,
      clock: options.clock,
      logger: options.logger,
    });
    this.#port.on("connected", (stream) => this.#listen(stream));
    this.#port.on("health", () => this.emit("health", this.health));
  }

  get health(): ReaderHealth {
    return { ...this.#port.health, device: this.#options.device, simulated: this.#options.simulated };
  }

  start(): void {
    this.#port.start();
  }

  async stop(): Promise<void> {
    await this.#port.stop();
    for (const secrets of this.#held) secrets.wipe();
    this.#held.clear();
  }

  #listen(stream: Duplex): void {
    const guard = new LineGuard(this.#options.lineEnding, this.#options.maxLineLength);
    const lines = new ReadlineParser({ delimiter: this.#options.lineEnding, encoding: "latin1" });
    // No `end` propagation: a half line left when the device goes away is dropped, not parsed.
    stream.pipe(guard, { end: false }).pipe(lines);
    lines.on("data", (line: string) => this.#onLine(line));
    stream.once("close", () => {
      stream.unpipe(guard);
      guard.destroy();
      lines.destroy();
    });
  }

  #onLine(line: string): void {
    let event: LineEvent | null;
    try {
      event = routeLine(line, {
        role: this.#options.role,
        maxLineLength: this.#options.maxLineLength,
        swipe: {
          prefixes: this.#options.prefixes,
          rejectExpired: this.#options.rejectExpired,
          now: this.#options.clock.now(),
        },
        scan: this.#options.scan,
      });
    } catch {
      // routeLine does not throw; if it ever did, the line is dropped rather than the driver.
      this.#options.logger.error("a line from the device could not be handled");
      return;
    }
    if (event !== null) this.#deliver(event);
  }

  #deliver(event: LineEvent): void {
    const log = this.#options.logger;
    switch (event.type) {
      case "cardRead": {
        const { card } = event;
        log.info("card read", {
          maskedPan: card.maskedPan,
          brand: card.brand,
          encrypted: card.encrypted !== null,
        });
        for (const secrets of this.#held) if (!secrets.available) this.#held.delete(secrets);
        card.secrets.expireAfter(this.#options.secretsTtlMs);
        this.#held.add(card.secrets);
        this.emit("cardRead", card);
        return;
      }
      case "cardRejected":
        log.warn("swipe rejected", { code: event.error.code });
        this.emit("cardRejected", event.error);
        return;
      case "invoiceScan":
        log.info("invoice scanned", { invoiceNumber: event.scan.invoiceNumber });
        this.emit("invoiceScan", event.scan);
        return;
      case "scanRejected":
        log.warn("scan rejected", { code: event.error.code });
        this.emit("scanRejected", event.error);
        return;
    }
  }
}
