import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";

/** The outcome of one delivery: how many attempts it took, and the last error when all failed. */
export interface DeliveryResult {
  readonly outcome: "sent" | "failed";
  readonly attempts: number;
  readonly error: string | null;
}

export interface WebhookTarget {
  readonly url: string;
  readonly timeoutMs: number;
  readonly attempts: number;
  /** Signs each body (HMAC-SHA256) when set. */
  readonly secret: string | null;
  /** The pause before attempt n+1 (n from 1); tests shorten it. */
  readonly pauseMs?: (attempt: number) => number;
}

const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One POST of `body` as JSON, bounded by `timeoutMs` from the first byte to the end of the answer.
 * A 2xx answer is delivered; anything else is ALERT_WEBHOOK_FAILED with the status or the error.
 */
export function postOnce(target: WebhookTarget, body: string): Promise<void> {
  const url = new URL(target.url);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const headers: Record<string, string | number> = {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "User-Agent": "spectra-central-alerts",
  };
  if (target.secret !== null)
    headers["X-Spectra-Signature"] =
      `sha256=${createHmac("sha256", target.secret).update(body).digest("hex")}`;
  return new Promise<void>((resolve, reject) => {
    const failed = (reason: string): void =>
      reject(new KioskError(ErrorCodes.ALERT_WEBHOOK_FAILED, `The alert web hook failed: ${reason}`));
    const outgoing = send(
      url,
      { method: "POST", headers, signal: AbortSignal.timeout(target.timeoutMs) },
      (answer) => {
        let size = 0;
        answer.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) answer.destroy();
        });
        answer.on("error", (error) => failed(error.message));
        answer.on("close", () => {
          const status = answer.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else failed(`HTTP ${status}`);
        });
      },
    );
    outgoing.on("error", (error) =>
      failed(
        error.name === "AbortError" || error.name === "TimeoutError"
          ? `no answer in ${target.timeoutMs} ms`
          : error.message,
      ),
    );
    outgoing.end(body);
  });
}

/** The pause after failed attempt n (from 1): 1 s, 2 s, 4 s … at most 30 s. */
export const webhookPause = (attempt: number): number => Math.min(30_000, 1000 * 2 ** (attempt - 1));

/**
 * POSTs with retries: `attempts` in all, pausing longer after each failure. Never throws: the
 * result says what happened (`stopped` cuts the pauses short when central stops).
 */
export async function deliverWebhook(
  target: WebhookTarget,
  body: string,
  stopped: () => boolean = () => false,
): Promise<DeliveryResult> {
  let error: string | null = null;
  for (let attempt = 1; attempt <= target.attempts; attempt++) {
    try {
      await postOnce(target, body);
      return { outcome: "sent", attempts: attempt, error: null };
    } catch (caught) {
      error = (caught as Error).message;
    }
    if (attempt < target.attempts && !stopped())
      await new Promise((resolve) => setTimeout(resolve, (target.pauseMs ?? webhookPause)(attempt)).unref());
    if (stopped()) return { outcome: "failed", attempts: attempt, error };
  }
  return { outcome: "failed", attempts: target.attempts, error };
}
