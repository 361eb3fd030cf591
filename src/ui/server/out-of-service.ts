import type { KioskError } from "../../core/kiosk-error.js";
import type { Mode } from "./mode.js";
import type { LockSource } from "./start-ui.js";

/**
 * A store that cannot be opened keeps the kiosk out of service: a lock that never lifts, with the
 * store's error code as the reason the screen shows.
 */
export function outOfServiceLock(reason: KioskError): LockSource {
  const state = { locked: true, reason: reason.code, by: "kiosk", at: new Date(0).toISOString() } as const;
  return { state: () => state, onChanged: () => () => {} };
}

/** With no store there is nothing to pay against: a mode that only ever sits behind the lock. */
export function outOfServiceMode(): Mode {
  return {
    name: "self-service",
    attach: () => {},
    screen: () => ({ name: "self.attract", studioName: "" }),
    touch: () => false,
    reset: () => {},
    idleExempt: () => true,
    busy: () => false,
    waitsForSwipe: () => false,
    cardRead: (read) => read.secrets.wipe(),
    cardUnreadable: () => {},
    invoiceScanned: () => {},
    scanRejected: () => {},
    invoicesChanged: () => {},
    showsWhileLocked: () => false,
  };
}
