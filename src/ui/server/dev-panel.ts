import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { parseScan } from "../../drivers/card-reader/invoice-scan.js";
import { fullSwipe } from "../../drivers/card-reader/swipe-builder.js";
import type { SimulatedLine } from "../../drivers/serial/simulated-line.js";
import { DEV_CARDS, type DevCardName } from "./fixtures/dev-cards.js";
import { errorMessage, json } from "./screen-http.js";
import type { UiSession } from "./session.js";

/** A dev request is a card name or a scanned code: a few hundred bytes at most. */
const MAX_BODY = 4096;

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
    `The dev panel's ${what ? `${what} ` : ""}request is invalid: ${issues}`,
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

async function readJson(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw invalid("", "the body is larger than 4 KiB");
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw invalid("", "the body is not JSON");
  }
}

/**
 * The dev panel's endpoints (simulated devices only: without them every /dev/ path is a 404).
 * A POST must say it is JSON: a web page elsewhere can send text/plain or a form without asking,
 * but JSON only after a CORS preflight, which this server never grants.
 */
export async function handleDevRequest(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  deps: DevPanelDeps | null,
): Promise<void> {
  if (!deps) {
    request.resume();
    return json(response, 404, {
      code: ErrorCodes.UI_DEV_PANEL_OFF,
      message: "The dev panel is for simulated devices.",
    });
  }
  if (request.method === "GET" && path === "/dev/cards")
    return json(response, 200, { cards: devCardNames() });
  if (request.method !== "POST" || (path !== "/dev/swipe" && path !== "/dev/scan")) {
    request.resume();
    return json(response, 404, { code: ErrorCodes.UI_DEV_REQUEST_INVALID, message: "No such endpoint." });
  }
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    request.resume();
    return json(response, 415, {
      code: ErrorCodes.UI_DEV_REQUEST_INVALID,
      message: "The dev panel takes application/json only.",
    });
  }
  try {
    const body = await readJson(request);
    if (path === "/dev/swipe") devSwipe(deps, body);
    else devScan(deps, body);
    json(response, 200, { ok: true });
  } catch (error) {
    json(response, 400, errorMessage(error));
  }
}
