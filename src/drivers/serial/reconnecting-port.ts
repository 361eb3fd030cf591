import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import { type TransportFactory, TransportOpenError } from "./transport.js";

/** connected: open · disconnected: unplugged or not there (yet) · error: there but will not open. */
export type PortState = "connected" | "disconnected" | "error";

export interface PortHealth {
  readonly state: PortState;
  /** When the port entered this state (ISO 8601). */
  readonly since: string;
  /** Why, for an operator: "nothing at /dev/...", "unplugged", an open error. */
  readonly detail: string | null;
}

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export interface ReconnectingPortOptions {
  readonly open: TransportFactory;
  readonly backoff: Backoff;
  readonly logger: Logger;
  readonly clock: Clock;
}

export interface PortEvents {
  /** A new stream is open: consumers start fresh parsers on it (a half line from before is gone). */
  connected: [Duplex];
  disconnected: [];
  health: [PortHealth];
}

/**
 * Closes a stream and waits for it. A serial port is closed with `close()`: `destroy()` while it
 * reads leaves serialport's poller behind and the process can never exit.
 */
function closeStream(stream: Duplex): Promise<void> {
  if (stream.destroyed || stream.closed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once("close", () => resolve());
    const port = stream as Duplex & {
      isOpen?: boolean;
      close?: (callback: (error?: Error | null) => void) => void;
    };
    if (typeof port.close === "function" && port.isOpen) port.close(() => {});
    else stream.destroy();
  });
}

/**
 * Keeps a byte stream open, because serialport never reopens by itself: when the device goes away
 * (`close` with `disconnected`), cannot be found, or fails to open, it retries with exponential
 * backoff for as long as it runs, so replugging works without restarting anything.
 */
export class ReconnectingPort extends EventEmitter<PortEvents> {
  readonly #options: ReconnectingPortOptions;
  #stream: Duplex | null = null;
  #timer: NodeJS.Timeout | null = null;
  #failures = 0;
  #running = false;
  #health: PortHealth;

  constructor(options: ReconnectingPortOptions) {
    super();
    this.#options = options;
    this.#health = { state: "disconnected", since: options.clock.now().toISOString(), detail: "not started" };
  }

  get health(): PortHealth {
    return this.#health;
  }

  get stream(): Duplex | null {
    return this.#stream;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#connect();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const stream = this.#stream;
    this.#stream = null;
    if (stream) await closeStream(stream);
    this.#setHealth("disconnected", "stopped");
  }

  async #connect(): Promise<void> {
    this.#timer = null;
    let stream: Duplex;
    try {
      stream = await this.#options.open();
    } catch (error) {
      const missing = error instanceof TransportOpenError && error.kind === "missing";
      this.#setHealth(missing ? "disconnected" : "error", (error as Error).message);
      this.#retry();
      return;
    }
    if (!this.#running) {
      stream.destroy();
      return;
    }
    this.#stream = stream;
    this.#failures = 0;
    stream.on("error", (error: Error) => {
      this.#options.logger.warn(() => `port error: ${error.message}`);
      void closeStream(stream);
    });
    stream.once("close", () => this.#closed(stream));
    this.#setHealth("connected", null);
    this.emit("connected", stream);
  }

  #closed(stream: Duplex): void {
    if (this.#stream !== stream) return;
    this.#stream = null;
    this.emit("disconnected");
    if (!this.#running) return;
    this.#setHealth("disconnected", "unplugged or closed");
    this.#retry();
  }

  #retry(): void {
    if (!this.#running || this.#timer) return;
    const { initialMs, maxMs } = this.#options.backoff;
    const delay = Math.min(maxMs, initialMs * 2 ** Math.min(this.#failures, 20));
    this.#failures += 1;
    this.#timer = setTimeout(() => void this.#connect(), delay);
  }

  #setHealth(state: PortState, detail: string | null): void {
    if (this.#health.state === state && this.#health.detail === detail) return;
    const previous = this.#health.state;
    this.#health = { state, since: this.#options.clock.now().toISOString(), detail };
    if (previous !== state) {
      const message = `port ${state}${detail ? `: ${detail}` : ""}`;
      if (state === "connected" || !this.#running) this.#options.logger.info(message);
      else this.#options.logger.warn(message);
    }
    this.emit("health", this.#health);
  }
}
