import type { Checkout } from "../../checkout/checkout.js";
import type { KioskConfig } from "../../config/schema.js";
import type { Clock } from "../../core/clock.js";
import { newId } from "../../core/ids.js";
import type { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { Drivers } from "../../drivers/drivers.js";
import { ReceiptMailClient, type ReceiptMailLine } from "../../sync/agent/receipt-mail-client.js";
import { HostedFormRelay } from "../../ui/server/hosted-form-relay.js";
import { outOfServiceLock, outOfServiceMode } from "../../ui/server/out-of-service.js";
import { ReceiptDesk } from "../../ui/server/receipts/receipt-desk.js";
import { receiptSender } from "../../ui/server/self-service/print-receipt.js";
import { SelfServiceMode } from "../../ui/server/self-service/self-service-mode.js";
import { StaffMode } from "../../ui/server/staff/staff-mode.js";
import { type RunningUi, startUi, type UiDeps } from "../../ui/server/start-ui.js";
import { statusBar } from "../../ui/server/status-source.js";
import { SOFTWARE_VERSION } from "../version.js";
import { selfServiceSettings } from "./self-service-settings.js";
import { staffSetup } from "./staff-setup.js";

/** How long central may take to hand an emailed receipt to its SMTP server before the screen gives up. */
const RECEIPT_EMAIL_ANSWER_MS = 15_000;

export interface TouchscreenDeps {
  readonly config: KioskConfig;
  /** Checkout when the kiosk is in service; the reason when its store cannot be trusted. */
  readonly service: { readonly checkout: Checkout } | { readonly reason: KioskError };
  readonly drivers: Drivers;
  /** The sync agent: the status bar's "online", how old balances are offline, and the line emailed
   * receipts are asked of central on. */
  readonly sync:
    | (ReceiptMailLine & { readonly connected: boolean; readonly disconnectedAt?: string | null })
    | null;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The touchscreen wired to the kiosk: in service, the self-service and staff modes over checkout, the
 * printer and the cash drawer; out of service, a locked screen that says why. Either way the card
 * reader and scanner feed the session, and the status bar shows sync, the queue and the reader.
 */
export function startTouchscreen(deps: TouchscreenDeps): Promise<RunningUi> {
  const { config, service, drivers, clock, logger } = deps;
  const checkout = "checkout" in service ? service.checkout : null;
  const screen = "checkout" in service ? inService(deps, service.checkout) : outOfService(service.reason);
  return startUi({
    settings: {
      host: config.ui.host,
      port: config.ui.port,
      idleTimeoutSeconds: config.ui.idleTimeoutSeconds,
      locales: config.studio.locales,
      timeZone: config.studio.timeZone,
    },
    ...screen,
    status: () => statusBar({ checkout, drivers, sync: deps.sync }),
    // What an updater checks before it keeps a new release: this version, serving, in service.
    health: () => ({ version: SOFTWARE_VERSION, inService: checkout !== null }),
    lineDevices: [drivers.cardReader, drivers.scanner],
    devPanel:
      drivers.simulated.cardReader !== null
        ? { cardReader: drivers.simulated.cardReader, scanner: drivers.simulated.scanner }
        : null,
    clock,
    logger,
  });
}

function inService(
  deps: TouchscreenDeps,
  checkout: Checkout,
): Pick<UiDeps, "modes" | "lock" | "hostedForms"> {
  const { config, drivers, clock, logger } = deps;
  const hostedForms = new HostedFormRelay();
  const receipts = new ReceiptDesk({
    checkout,
    printer: drivers.printer,
    studio: { name: config.studio.name, address: config.studio.address, timeZone: config.studio.timeZone },
    kioskId: config.deviceId,
    mailer: deps.sync
      ? new ReceiptMailClient(deps.sync, { timeoutMs: RECEIPT_EMAIL_ANSWER_MS, newId })
      : null,
    logger: logger.child("receipts"),
  });
  const selfService = new SelfServiceMode({
    settings: selfServiceSettings(config, drivers.printer !== null),
    checkout,
    printReceipt: receiptSender(drivers.printer ? receipts : null),
    emailReceipt: (request) => receipts.email(request),
    // Without sync there is no central to be behind; offline, the summary says how old the balance is.
    balanceAge: () =>
      deps.sync && !deps.sync.connected ? { offlineSince: deps.sync.disconnectedAt ?? null } : null,
    logger: logger.child("self-service"),
  });
  const staff = new StaffMode({
    setup: staffSetup(config),
    checkout,
    cashDrawer: drivers.cashDrawer,
    clock,
    logger: logger.child("staff"),
    hostedForms,
    receipts,
  });
  return {
    hostedForms,
    modes: { "self-service": selfService, staff },
    lock: { state: () => checkout.lockState(), onChanged: (listener) => checkout.onLockChanged(listener) },
  };
}

/** Nothing to pay against: a screen that only ever sits behind the lock, and no staff mode. */
function outOfService(reason: KioskError): Pick<UiDeps, "modes" | "lock"> {
  return { modes: { "self-service": outOfServiceMode(), staff: null }, lock: outOfServiceLock(reason) };
}
