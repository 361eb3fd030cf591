import { Transform, type TransformCallback } from "node:stream";

/**
 * Sits in front of @serialport/parser-readline, which buffers until it sees a line ending however
 * long that takes: a noisy or misconfigured device would grow that buffer without bound. The guard
 * passes at most `maxLineBytes` + the line ending's length of any line and drops the rest up to
 * the line ending, so an overlong line reaches the parser cut to just over the limit and is recognisable by its
 * length (lines are decoded as latin1: one byte, one character).
 */
export class LineGuard extends Transform {
  readonly #delimiter: Buffer;
  readonly #limit: number;
  #lineBytes = 0;
  /** How many leading bytes of the delimiter the stream has just matched. */
  #matched = 0;

  constructor(delimiter: string, maxLineBytes: number) {
    super();
    this.#delimiter = Buffer.from(delimiter, "latin1");
    // Bytes of a line ending in progress count too, so a line of exactly maxLineBytes still fits.
    this.#limit = maxLineBytes + this.#delimiter.length;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const kept: Buffer[] = [];
    let runStart = 0;
    for (let index = 0; index < chunk.length; index += 1) {
      const byte = chunk[index];
      if (byte === this.#delimiter[this.#matched]) this.#matched += 1;
      else this.#matched = byte === this.#delimiter[0] ? 1 : 0;

      if (this.#matched === this.#delimiter.length) {
        // Line complete: flush what was kept of it, then the full delimiter.
        const lineEnd = index + 1;
        if (this.#lineBytes < this.#limit) kept.push(chunk.subarray(runStart, lineEnd));
        else kept.push(this.#delimiter);
        this.#lineBytes = 0;
        this.#matched = 0;
        runStart = lineEnd;
        continue;
      }
      if (this.#lineBytes < this.#limit) {
        this.#lineBytes += 1;
        if (this.#lineBytes === this.#limit) {
          kept.push(chunk.subarray(runStart, index + 1));
          runStart = index + 1;
        }
      } else {
        runStart = index + 1;
      }
    }
    if (this.#lineBytes < this.#limit && runStart < chunk.length) kept.push(chunk.subarray(runStart));
    if (kept.length > 0) this.push(Buffer.concat(kept));
    done();
  }
}
