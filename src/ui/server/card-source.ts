import type { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { CardRead } from "../../drivers/card-reader/card-read.js";
import type { InvoiceScan } from "../../drivers/card-reader/invoice-scan.js";
import type { LineReader } from "../../drivers/card-reader/line-reader.js";
import type { UiSession } from "./session.js";

/**
 * Connects the card reader (and scanner) to the session: a card read goes to the screen only when
 * it waits for a swipe (the session wipes it otherwise); scans go to the current mode. Returns a
 * function that disconnects it.
 */
export function connectLineDevices(
  devices: readonly (LineReader | null)[],
  session: UiSession,
  logger: Logger,
): () => void {
  const undo: (() => void)[] = [];
  // Nothing a device sends may crash the process: a failing handler is logged and dropped.
  const guard =
    <A extends unknown[]>(what: string, handle: (...args: A) => void) =>
    (...args: A): void => {
      try {
        handle(...args);
      } catch (error) {
        logger.error(`handling a ${what} failed: ${(error as Error).message}`);
      }
    };
  const onCard = guard("card read", (read: CardRead) => session.cardRead(read));
  const onRejected = guard("bad swipe", (error: KioskError) => session.cardUnreadable(error));
  const onScan = guard("scan", (scan: InvoiceScan) => session.invoiceScanned(scan.invoiceNumber));
  const onScanRejected = guard("bad scan", (error: KioskError) => session.scanRejected(error));
  for (const device of devices) {
    if (!device) continue;
    device.on("cardRead", onCard);
    device.on("cardRejected", onRejected);
    device.on("invoiceScan", onScan);
    device.on("scanRejected", onScanRejected);
    undo.push(() => {
      device.off("cardRead", onCard);
      device.off("cardRejected", onRejected);
      device.off("invoiceScan", onScan);
      device.off("scanRejected", onScanRejected);
    });
  }
  return () => {
    for (const step of undo) step();
  };
}
