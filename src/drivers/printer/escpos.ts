/**
 * The few ESC/POS commands a receipt needs, written by hand: the libraries (node-thermal-printer,
 * escpos) bring their own transports and would bypass the reconnecting serial port and its health,
 * and none answers status queries over our port. Command references: Epson ESC/POS Application
 * Programming Guide.
 */
import { CODE_PAGES, type CodePage, encodeText } from "./code-page.js";

const ESC = 0x1b;
const GS = 0x1d;
const DLE = 0x10;
const EOT = 0x04;

export type Align = "left" | "center" | "right";

export class EscPosBuilder {
  readonly #chunks: Buffer[] = [];

  /** Text is written in `codePage`, which `init` selects on the printer. */
  constructor(private readonly codePage: CodePage) {}

  /** ESC @ (reset), then ESC t n: the code page the text is encoded in, so "€" and "ñ" print. */
  init(): this {
    return this.#bytes(ESC, 0x40, ESC, 0x74, CODE_PAGES[this.codePage]);
  }

  /** How many characters `text` takes on paper in this code page ("€" is "EUR" where the page lacks it). */
  width(text: string): number {
    return encodeText(text, this.codePage).length;
  }

  align(align: Align): this {
    return this.#bytes(ESC, 0x61, align === "left" ? 0 : align === "center" ? 1 : 2);
  }

  bold(on: boolean): this {
    return this.#bytes(ESC, 0x45, on ? 1 : 0);
  }

  /** GS ! n: double width and height for headings. */
  large(on: boolean): this {
    return this.#bytes(GS, 0x21, on ? 0x11 : 0x00);
  }

  /** One line of text in the code page; control characters print as spaces, never as commands. */
  line(text = ""): this {
    this.#chunks.push(encodeText(text, this.codePage), Buffer.from([0x0a]));
    return this;
  }

  feed(lines: number): this {
    return this.#bytes(ESC, 0x64, Math.max(0, Math.min(255, lines)));
  }

  /** A QR code (GS ( k): model 2, module size 1–16, error correction M, then print. */
  qr(data: string, moduleSize = 6): this {
    const payload = Buffer.from(data, "latin1");
    const length = payload.length + 3;
    this.#bytes(GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0x00);
    this.#bytes(GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, Math.max(1, Math.min(16, moduleSize)));
    this.#bytes(GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31);
    this.#bytes(GS, 0x28, 0x6b, length & 0xff, length >> 8, 0x31, 0x50, 0x30);
    this.#chunks.push(payload);
    return this.#bytes(GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30);
  }

  /** GS V 66 n: feed to the cutter and cut, leaving a small hinge where the printer supports it. */
  cut(): this {
    return this.#bytes(GS, 0x56, 66, 3);
  }

  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  #bytes(...values: number[]): this {
    this.#chunks.push(Buffer.from(values));
    return this;
  }
}

/** ESC p m t1 t2: pulse the drawer kick connector (pin 2), on t1×2 ms, off t2×2 ms. */
export function drawerKick(onMs = 100, offMs = 200): Buffer {
  return Buffer.from([
    ESC,
    0x70,
    0,
    Math.min(255, Math.round(onMs / 2)),
    Math.min(255, Math.round(offMs / 2)),
  ]);
}

/** DLE EOT n: real-time status. 1: printer, 2: offline cause, 4: roll paper sensor. */
export function statusRequest(n: 1 | 2 | 4): Buffer {
  return Buffer.from([DLE, EOT, n]);
}

export interface PrinterStatus {
  readonly online: boolean;
  readonly paperOut: boolean;
  readonly paperLow: boolean;
  readonly coverOpen: boolean;
}

/** A status byte always has bit 1 and bit 4 set and bits 0 and 7 clear. */
export function isStatusByte(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

/** Reads the answers to DLE EOT 1, 2 and 4. */
export function readStatus(printer: number, offlineCause: number, paper: number): PrinterStatus {
  return {
    online: (printer & 0x08) === 0,
    coverOpen: (offlineCause & 0x04) !== 0,
    paperOut: (paper & 0x60) !== 0 || (offlineCause & 0x20) !== 0,
    paperLow: (paper & 0x0c) !== 0,
  };
}
