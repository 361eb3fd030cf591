import { existsSync, stat, statSync } from "node:fs";
import type { Duplex } from "node:stream";
import { SerialPort } from "serialport";

/**
 * How a driver gets its byte stream: a factory that opens it (STYLE point 1). The real one opens a
 * serial port; tests and the emulator pass a pseudo-terminal path or an in-memory stream, so no
 * driver code changes. A factory rejects with `TransportOpenError` when it cannot open.
 */
export type TransportFactory = () => Promise<Duplex>;

/** "missing": nothing at the path (unplugged); "failed": it is there but would not open. */
export class TransportOpenError extends Error {
  override readonly name = "TransportOpenError";
  constructor(
    readonly kind: "missing" | "failed",
    message: string,
  ) {
    super(message);
  }
}

export interface SerialTransportOptions {
  /** Prefer /dev/serial/by-id/...: that name survives replugging into another USB port. */
  readonly path: string;
  readonly baudRate: number;
  /** How often to check the device is still at `path` (see below); 0 turns the check off. */
  readonly presenceCheckMs?: number;
}

/**
 * Closes the port when the device at `path` is gone or is another one. serialport notices a USB
 * unplug by a read error, but a hung-up tty can instead return end-of-file forever, which
 * serialport retries without ever reporting a disconnect (seen with pseudo-terminals). The
 * /dev/serial/by-id link (or socat's link) disappears with the device, so a periodic stat catches it.
 */
function watchPresence(port: SerialPort, path: string, everyMs: number): void {
  let device: number;
  try {
    device = statSync(path).rdev;
  } catch {
    return;
  }
  const timer = setInterval(() => {
    stat(path, (error, stats) => {
      if ((error || stats.rdev !== device) && port.isOpen) port.close(() => {});
    });
  }, everyMs);
  timer.unref();
  port.once("close", () => clearInterval(timer));
}

/** Opens the serial port at `path` (serialport); each call makes a new port, as a reconnect needs. */
export function serialTransport(options: SerialTransportOptions): TransportFactory {
  return async () => {
    if (!existsSync(options.path)) {
      throw new TransportOpenError("missing", `nothing at ${options.path}`);
    }
    const port = new SerialPort({ path: options.path, baudRate: options.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => {
      port.open((error) => {
        if (!error) resolve();
        else reject(new TransportOpenError(existsSync(options.path) ? "failed" : "missing", error.message));
      });
    });
    if ((options.presenceCheckMs ?? 500) > 0)
      watchPresence(port, options.path, options.presenceCheckMs ?? 500);
    return port;
  };
}
