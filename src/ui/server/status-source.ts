import type { Checkout } from "../../checkout/checkout.js";
import type { Drivers } from "../../drivers/drivers.js";
import type { ReaderState, StatusBar } from "../protocol.js";

export interface StatusParts {
  /** Checkout, when the kiosk is in service (it counts the records waiting to sync). */
  readonly checkout: Pick<Checkout, "waitingToSync" | "smartReaderStatus" | "cardPayments"> | null;
  readonly drivers: Drivers;
  /** The sync agent, when this kiosk syncs. */
  readonly sync: { readonly connected: boolean } | null;
}

function readerState(drivers: Drivers): ReaderState {
  const reader = drivers.cardReader;
  if (!reader) return "none";
  return reader.health.state === "connected" ? "ready" : "disconnected";
}

/**
 * Reads the status bar's facts now: sync connection, outbox depth, the card readers' health, and
 * whether cards can be charged (a kiosk out of service charges none).
 */
export function statusBar(parts: StatusParts): StatusBar {
  let waitingToSync = 0;
  try {
    waitingToSync = parts.checkout?.waitingToSync() ?? 0;
  } catch {
    // A closing store: the bar keeps showing the rest.
  }
  return {
    online: parts.sync ? parts.sync.connected : null,
    waitingToSync,
    reader: readerState(parts.drivers),
    smartReader: parts.checkout?.smartReaderStatus() ?? "none",
    cards: parts.checkout?.cardPayments() ?? "not-configured",
  };
}
