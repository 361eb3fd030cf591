import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { ReceiptDocument } from "../../payments/receipt/receipt-document.js";
import type { CashDrawer } from "../gpio/cash-drawer.js";
import { type Backoff, ReconnectingPort } from "../serial/reconnecting-port.js";
import type { TransportFactory } from "../serial/transport.js";
import type { CodePage } from "./code-page.js";
import { drawerKick, isStatusByte, type PrinterStatus, readStatus, statusRequest } from "./escpos.js";
import { receiptBytes } from "./receipt.js";

export interface PrinterHealth {
  readonly device: "printer";
  readonly state: "ready" | "paper-out" | "offline" | "disconnected" | "error";
  readonly since: string;
  readonly detail: string | null;
  readonly paperLow: boolean;
  readonly simulated: boolean;
}

export interface ReceiptPrinterOptions {
  readonly open: TransportFactory;
  readonly simulated: boolean;
  readonly columns: number;
  /** The character code table the printer is set to (ESC t n) and the text is encoded in. */
  readonly codePage: CodePage;
  readonly statusTimeoutMs: number;
  readonly backoff: Backoff;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The result of a print: a payment never waits on, or fails because of, the printer. */
export type PrintOutcome =
  | { readonly printed: true }
  | { readonly printed: false; readonly error: KioskError };

/**
 * An ESC/POS receipt printer on a serial line. Jobs run one at a time; each asks the printer's
 * status first (DLE EOT) with its own timeout, so paper out or offline shows in health and the job
 * is refused with a code instead of hanging. `print` never throws.
 */
export class ReceiptPrinter extends EventEmitter<{ health: [PrinterHealth] }> implements CashDrawer {
  readonly #options: ReceiptPrinterOptions;
  readonly #port: ReconnectingPort;
  #queue: Promise<unknown> = Promise.resolve();
  #waiting: { resolve: (byte: number) => void } | null = null;
  /** After a status request timed out, its late answer must not be taken for the next one's. */
  #quietUntil = 0;
  #health: PrinterHealth;

  constructor(options: ReceiptPrinterOptions) {
    super();
    this.#options = options;
    this.#health = this.#make("disconnected", "not started", false);
    this.#port = new ReconnectingPort({
      open: options.open,
      backoff: options.backoff,
      clock: options.clock,
      logger: options.logger,
    });
    this.#port.on("connected", (stream) => this.#listen(stream));
    this.#port.on("health", (port) => {
      if (port.state === "connected") void this.refreshStatus();
      else this.#set(port.state, port.detail, false);
    });
  }

  get health(): PrinterHealth {
    return this.#health;
  }

  start(): void {
    this.#port.start();
  }

  async stop(): Promise<void> {
    await this.#queue.catch(() => {});
    await this.#port.stop();
  }

  /** Asks the printer how it is and updates health; resolves with what it said, or null. */
  refreshStatus(): Promise<PrinterStatus | null> {
    return this.#enqueue(async () => this.#status());
  }

  print(receipt: ReceiptDocument): Promise<PrintOutcome> {
    return this.#enqueue(async () => {
      try {
        await this.#ready();
        await this.#write(receiptBytes(receipt, this.#options));
        this.#options.logger.info("receipt printed", { recordId: receipt.recordId });
        return { printed: true } as const;
      } catch (error) {
        const reason = isKioskError(error) ? error : this.#offline((error as Error).message);
        this.#options.logger.warn(`receipt not printed: ${reason.message}`, { recordId: receipt.recordId });
        return { printed: false, error: reason } as const;
      }
    });
  }

  /** Opens the drawer on the printer's kick connector (ESC p), when the config says so. */
  open(): Promise<void> {
    return this.#enqueue(async () => this.#write(drawerKick()));
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #ready(): Promise<void> {
    const status = await this.#status();
    if (status === null) throw this.#offline(this.#health.detail ?? "no answer");
    if (status.paperOut) {
      throw new KioskError(
        ErrorCodes.PRINTER_PAPER_OUT,
        "The receipt printer is out of paper: load a new roll.",
      );
    }
    if (!status.online) throw this.#offline(status.coverOpen ? "cover open" : "printer offline");
  }

  async #status(): Promise<PrinterStatus | null> {
    if (!this.#port.stream) return null;
    const quiet = this.#quietUntil - Date.now();
    if (quiet > 0) await new Promise((resolve) => setTimeout(resolve, quiet));
    try {
      const printer = await this.#ask(1);
      const cause = await this.#ask(2);
      const paper = await this.#ask(4);
      const status = readStatus(printer, cause, paper);
      const state = status.paperOut ? "paper-out" : status.online ? "ready" : "offline";
      const detail = status.coverOpen ? "cover open" : status.paperOut ? "paper out" : null;
      this.#set(state, detail, status.paperLow);
      return status;
    } catch (error) {
      this.#set("offline", (error as Error).message, false);
      return null;
    }
  }

  /** One status request, with its own timeout made here so a hang points at the caller. */
  #ask(n: 1 | 2 | 4): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = null;
        this.#quietUntil = Date.now() + this.#options.statusTimeoutMs;
        reject(new Error(`no status reply within ${this.#options.statusTimeoutMs} ms`));
      }, this.#options.statusTimeoutMs);
      this.#waiting = {
        resolve: (byte) => {
          clearTimeout(timer);
          this.#waiting = null;
          resolve(byte);
        },
      };
      this.#write(statusRequest(n)).catch((error: Error) => {
        clearTimeout(timer);
        this.#waiting = null;
        reject(error);
      });
    });
  }

  #listen(stream: Duplex): void {
    stream.on("data", (chunk: Buffer) => {
      for (const byte of chunk) if (isStatusByte(byte)) this.#waiting?.resolve(byte);
    });
  }

  #write(bytes: Buffer): Promise<void> {
    const stream = this.#port.stream;
    if (!stream) return Promise.reject(this.#offline(this.#health.detail ?? "not connected"));
    return new Promise((resolve, reject) => {
      stream.write(bytes, (error) => (error ? reject(this.#offline(error.message)) : resolve()));
    });
  }

  #offline(detail: string): KioskError {
    return new KioskError(
      ErrorCodes.PRINTER_OFFLINE,
      `The receipt printer is not answering (${detail}): check its power and cable. The payment is recorded.`,
    );
  }

  #make(state: PrinterHealth["state"], detail: string | null, paperLow: boolean): PrinterHealth {
    const since =
      state === this.#health?.state ? this.#health.since : this.#options.clock.now().toISOString();
    return { device: "printer", state, since, detail, paperLow, simulated: this.#options.simulated };
  }

  #set(state: PrinterHealth["state"], detail: string | null, paperLow: boolean): void {
    const previous = this.#health;
    if (previous.state === state && previous.detail === detail && previous.paperLow === paperLow) return;
    this.#health = this.#make(state, detail, paperLow);
    if (previous.state !== state) this.#options.logger.info(`printer ${state}${detail ? `: ${detail}` : ""}`);
    this.emit("health", this.#health);
  }
}
