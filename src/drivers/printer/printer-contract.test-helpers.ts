import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import type { ReceiptDocument, ReceiptRow } from "../../payments/receipt/receipt-document.js";
import type { TransportFactory } from "../serial/transport.js";
import { decodeText } from "./code-page.js";
import { drawerKick } from "./escpos.js";
import type { PrinterEmulator } from "./printer-emulator.js";
import { type PrinterHealth, ReceiptPrinter } from "./receipt-printer.js";

export interface PrinterHarness {
  readonly open: TransportFactory;
  readonly simulated: boolean;
  /** The printer at the other end of the line. */
  readonly device: PrinterEmulator;
  unplug(): Promise<void>;
  close(): Promise<void>;
}

const row = (label: string, value: string, strong = false): ReceiptRow => ({ label, value, strong });

/** A composed cash receipt (payments/receipt composes them from records). */
export const SAMPLE_RECEIPT: ReceiptDocument = {
  language: "en",
  kind: "payment",
  studioName: "Demo Portrait Studio",
  studioAddress: ["12 Main Street", "Denver, CO 80202"],
  title: "PAYMENT",
  notices: [],
  rows: [
    row("Date", "Nov 26, 2026, 10:15 AM"),
    row("Invoice", "INV-10042"),
    row("Method", "Cash"),
    row("Amount", "$123.45", true),
    row("Tendered", "$150.00"),
    row("Change", "$26.55"),
    row("Balance remaining", "$50.00"),
  ],
  recordLabel: "Record",
  recordId: "0193a3b2-7c1e-7a42-9f00-3b5c1d2e4f60",
  thanks: "Thank you!",
  subject: "Your receipt from Demo Portrait Studio - invoice INV-10042",
};

/** The same in Spanish, in euros: what the code page must carry. */
const SPANISH_RECEIPT: ReceiptDocument = {
  ...SAMPLE_RECEIPT,
  language: "es",
  studioName: "Estudio Fotográfico Peña",
  title: "REEMBOLSO",
  notices: ["*** REIMPRESIÓN ***"],
  rows: [row("Método", "Efectivo"), row("Reembolsado", "1.234,56 €", true)],
  recordLabel: "Registro",
  thanks: "¡Gracias!",
};

async function healthReaches(printer: ReceiptPrinter, state: PrinterHealth["state"]): Promise<void> {
  const deadline = Date.now() + 5000;
  while (printer.health.state !== state) {
    if (Date.now() > deadline)
      throw new Error(`printer health stayed ${printer.health.state}, expected ${state}`);
    await sleep(10);
  }
}

async function arrived(harness: PrinterHarness, needle: Buffer): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!harness.device.printed.includes(needle)) {
    if (Date.now() > deadline) throw new Error(`bytes ${needle.toString("hex")} never reached the printer`);
    await sleep(10);
  }
}

/** The one suite the simulated printer and the real serial printer both pass (STYLE point 12). */
export function describePrinterContract(name: string, makeHarness: () => Promise<PrinterHarness>): void {
  describe(`receipt printer contract: ${name}`, () => {
    let harness: PrinterHarness;
    let printer: ReceiptPrinter;

    beforeEach(async () => {
      harness = await makeHarness();
      printer = new ReceiptPrinter({
        open: harness.open,
        simulated: harness.simulated,
        columns: 42,
        codePage: "cp858",
        statusTimeoutMs: 200,
        backoff: { initialMs: 20, maxMs: 200 },
        clock: systemClock,
        logger: createMemoryLogger(),
      });
      printer.start();
      await healthReaches(printer, "ready");
    });
    afterEach(async () => {
      await printer.stop();
      await harness.close();
    });

    it("prints every part of a cash receipt, with the record id as text and QR code", async () => {
      expect(await printer.print(SAMPLE_RECEIPT)).toEqual({ printed: true });
      const cut = Buffer.from([0x1d, 0x56, 66, 3]);
      await arrived(harness, cut);
      const text = decodeText(harness.device.printed, "cp858");
      for (const part of [
        "Demo Portrait Studio",
        "12 Main Street",
        "PAYMENT",
        "INV-10042",
        "Cash",
        "$123.45",
        "$150.00",
        "$26.55",
        "$50.00",
      ]) {
        expect(text).toContain(part);
      }
      expect(text).toContain(SAMPLE_RECEIPT.recordId);
      // GS ( k store (fn 80) with the record id, then print (fn 81).
      const store = Buffer.concat([
        Buffer.from([0x1d, 0x28, 0x6b, 39, 0, 0x31, 0x50, 0x30]),
        Buffer.from(SAMPLE_RECEIPT.recordId),
      ]);
      expect(harness.device.printed.includes(store)).toBe(true);
      expect(harness.device.printed.includes(Buffer.from([0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30]))).toBe(
        true,
      );
    });

    it("selects the code page and prints accents and the euro sign in it", async () => {
      expect(await printer.print(SPANISH_RECEIPT)).toEqual({ printed: true });
      await arrived(harness, Buffer.from([0x1d, 0x56, 66, 3]));
      const printed = harness.device.printed;
      // ESC @ then ESC t 19 (PC858), before any text.
      expect(printed.subarray(0, 5)).toEqual(Buffer.from([0x1b, 0x40, 0x1b, 0x74, 19]));
      // "€" is 0xD5 and "ñ" 0xA4 in PC858.
      expect(
        printed.includes(Buffer.from([0x31, 0x2e, 0x32, 0x33, 0x34, 0x2c, 0x35, 0x36, 0x20, 0xd5])),
      ).toBe(true);
      const text = decodeText(printed, "cp858");
      for (const part of [
        "Estudio Fotográfico Peña",
        "REEMBOLSO",
        "*** REIMPRESIÓN ***",
        "Método",
        "1.234,56 €",
        "¡Gracias!",
      ])
        expect(text).toContain(part);
    });

    it("kicks the drawer through the printer with ESC p", async () => {
      await printer.open();
      await arrived(harness, drawerKick());
    });

    it("reports paper out in health and refuses the job with a code, without hanging", async () => {
      harness.device.paperOut = true;
      const outcome = await printer.print(SAMPLE_RECEIPT);
      expect(outcome.printed).toBe(false);
      if (!outcome.printed) expect(outcome.error.code).toBe(ErrorCodes.PRINTER_PAPER_OUT);
      expect(printer.health.state).toBe("paper-out");
      harness.device.paperOut = false;
      await printer.refreshStatus();
      expect(printer.health.state).toBe("ready");
    });

    it("calls a printer that stops answering offline within its timeout", async () => {
      harness.device.answers = false;
      const started = Date.now();
      const outcome = await printer.print(SAMPLE_RECEIPT);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(outcome.printed).toBe(false);
      if (!outcome.printed) expect(outcome.error.code).toBe(ErrorCodes.PRINTER_OFFLINE);
      expect(printer.health.state).toBe("offline");
      // It answers again: the next status round is not confused by anything late, and it is ready.
      harness.device.answers = true;
      await printer.refreshStatus();
      expect(printer.health.state).toBe("ready");
      expect(await printer.print(SAMPLE_RECEIPT)).toEqual({ printed: true });
    });

    it("reports an unplugged printer and refuses jobs at once", async () => {
      await harness.unplug();
      await healthReaches(printer, "disconnected");
      const outcome = await printer.print(SAMPLE_RECEIPT);
      expect(outcome.printed).toBe(false);
      if (!outcome.printed) expect(outcome.error.code).toBe(ErrorCodes.PRINTER_OFFLINE);
    });
  });
}
