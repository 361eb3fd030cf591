/**
 * The printer's side of the line, for the simulator and tests: answers DLE EOT status requests as
 * an Epson-compatible printer would, and keeps everything else it is sent as "printed" bytes. Flip
 * `paperOut` or `offline` to act out a problem.
 */
export class PrinterEmulator {
  paperOut = false;
  paperLow = false;
  offline = false;
  /** When false the printer ignores status requests, like one that has lost power mid-cable. */
  answers = true;
  readonly #printed: Buffer[] = [];
  #pending: number[] = [];

  constructor(private readonly reply: (bytes: Buffer) => void) {}

  get printed(): Buffer {
    return Buffer.concat(this.#printed);
  }

  receive(chunk: Buffer): void {
    const bytes = [...this.#pending, ...chunk];
    this.#pending = [];
    const kept: number[] = [];
    for (let index = 0; index < bytes.length; index += 1) {
      if (bytes[index] !== 0x10) {
        kept.push(bytes[index] as number);
        continue;
      }
      if (index + 2 >= bytes.length) {
        this.#pending = bytes.slice(index);
        break;
      }
      if (bytes[index + 1] === 0x04) {
        this.#answer(bytes[index + 2] as number);
        index += 2;
      } else kept.push(0x10);
    }
    if (kept.length > 0) this.#printed.push(Buffer.from(kept));
  }

  #answer(n: number): void {
    if (!this.answers) return;
    let status = 0x12;
    if (n === 1 && (this.offline || this.paperOut)) status |= 0x08;
    if (n === 2 && this.paperOut) status |= 0x20;
    if (n === 4) status |= (this.paperOut ? 0x60 : 0) | (this.paperLow ? 0x0c : 0);
    this.reply(Buffer.from([status]));
  }
}
