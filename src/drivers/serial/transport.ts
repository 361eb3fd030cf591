import { existsSync } from "node:fs";
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
    return port;
  };
}
