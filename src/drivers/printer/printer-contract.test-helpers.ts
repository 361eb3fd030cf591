import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import { parseMaskedPan } from "../../payments/card/masked-pan.js";
import { money } from "../../payments/money.js";
import type { TransportFactory } from "../serial/transport.js";
import { drawerKick } from "./escpos.js";
import type { PrinterEmulator } from "./printer-emulator.js";
import type { Receipt } from "./receipt.js";
import { type PrinterHealth, ReceiptPrinter } from "./receipt-printer.js";

export interface PrinterHarness {
  readonly open: TransportFactory;
  readonly simulated: boolean;
  /** The printer at the other end of the line. */
  readonly device: PrinterEmulator;
  unplug(): Promise<void>;
  close(): Promise<void>;
}

export const SAMPLE_RECEIPT: Receipt = {
  studioName: "Demo Portrait Studio",
  takenAt: "11/26/2026, 10:15 AM",
  invoiceNumber: "INV-10042",
  kind: "payment",
  methodName: "Cash",
  card: null,
  amount: money(12_345, "USD"),
  cash: { tendered: money(15_000, "USD"), change: money(2_655, "USD") },
  balanceRemaining: money(5_000, "USD"),
  recordId: "0193a3b2-7c1e-7a42-9f00-3b5c1d2e4f60",
  locale: "en-US",
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
      const text = harness.device.printed.toString("latin1");
      for (const part of [
        "Demo Portrait Studio",
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

    it("prints a card refund with the masked number and authorization code only", async () => {
      const receipt: Receipt = {
        ...SAMPLE_RECEIPT,
        kind: "refund",
        methodName: "Credit Card",
        card: { maskedPan: parseMaskedPan("411111******1111"), authorizationCode: "A1B2C3" },
        cash: null,
      };
      expect(await printer.print(receipt)).toEqual({ printed: true });
      await arrived(harness, Buffer.from("A1B2C3"));
      const text = harness.device.printed.toString("latin1");
      expect(text).toContain("REFUND");
      expect(text).toContain("411111******1111");
      expect(text).not.toContain("Tendered");
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
