import { z } from "zod";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { parseScan } from "../../drivers/card-reader/invoice-scan.js";
import { fullSwipe } from "../../drivers/card-reader/swipe-builder.js";
import type { SimulatedLine } from "../../drivers/serial/simulated-line.js";
import { DEV_CARDS, type DevCardName } from "./fixtures/dev-cards.js";
import type { UiSession } from "./session.js";

const swipeRequest = z.strictObject({
  card: z.enum(Object.keys(DEV_CARDS) as [DevCardName, ...DevCardName[]]),
});
const scanRequest = z.strictObject({ code: z.string().min(1).max(512) });

export interface DevPanelDeps {
  /** The simulated card reader's device end: a swipe goes through the real parser from here. */
  readonly cardReader: SimulatedLine | null;
  /** The simulated scanner's device end, when there is one; otherwise scans go to the session. */
  readonly scanner: SimulatedLine | null;
  readonly session: UiSession;
}

export const devCardNames = (): DevCardName[] => Object.keys(DEV_CARDS) as DevCardName[];

function invalid(what: string, issues: string): KioskError {
  return new KioskError(
    ErrorCodes.UI_DEV_REQUEST_INVALID,
    `The dev panel's ${what} request is invalid: ${issues}`,
  );
}

/** Plays a test card through the simulated reader, as if swiped. */
export function devSwipe(deps: DevPanelDeps, body: unknown): void {
  const parsed = swipeRequest.safeParse(body);
  if (!parsed.success) throw invalid("swipe", `card must be one of ${devCardNames().join(", ")}`);
  if (!deps.cardReader?.emitData(`${fullSwipe(DEV_CARDS[parsed.data.card])}\r`)) {
    throw new KioskError(ErrorCodes.UI_DEV_PANEL_OFF, "The simulated card reader is not connected.");
  }
}

/** Plays an invoice code (number or link) through the simulated scanner, or straight to the session. */
export function devScan(deps: DevPanelDeps, body: unknown): void {
  const parsed = scanRequest.safeParse(body);
  if (!parsed.success) throw invalid("scan", "code must be 1–512 characters");
  if (deps.scanner?.emitData(`${parsed.data.code}\r`)) return;
  const outcome = parseScan(parsed.data.code);
  if (outcome.ok) deps.session.invoiceScanned(outcome.scan.invoiceNumber);
  else deps.session.scanRejected(outcome.error);
}
