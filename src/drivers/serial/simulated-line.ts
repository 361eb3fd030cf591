import { Duplex } from "node:stream";
import { type TransportFactory, TransportOpenError } from "./transport.js";

/**
 * An in-memory serial line, the simulator behind every serial driver (after zwave-js's MockPort):
 * `emitData` plays bytes as if the device sent them, `written` collects what the driver sent, and
 * `unplug`/`replug` act out a USB cable being pulled and put back.
 */
export class SimulatedLine {
  #stream: Duplex | null = null;
  #plugged = true;
  readonly written: Buffer[] = [];
  /** Called with every chunk the driver writes: a simulated device answers from here. */
  onWrite: ((chunk: Buffer) => void) | null = null;

  readonly open: TransportFactory = async () => {
    if (!this.#plugged) throw new TransportOpenError("missing", "simulated device unplugged");
    const stream = new Duplex({
      read: () => {},
      write: (chunk: Buffer, _encoding, done) => {
        const copy = Buffer.from(chunk);
        this.written.push(copy);
        done();
        this.onWrite?.(copy);
      },
    });
    stream.once("close", () => {
      if (this.#stream === stream) this.#stream = null;
    });
    this.#stream = stream;
    return stream;
  };

  get connected(): boolean {
    return this.#stream !== null;
  }

  /** Sends bytes from the device; false when nothing is connected to receive them. */
  emitData(data: string | Buffer): boolean {
    if (!this.#stream) return false;
    this.#stream.push(typeof data === "string" ? Buffer.from(data, "latin1") : data);
    return true;
  }

  get lastWrite(): Buffer | undefined {
    return this.written.at(-1);
  }

  unplug(): void {
    this.#plugged = false;
    this.#stream?.destroy();
  }

  replug(): void {
    this.#plugged = true;
  }
}
