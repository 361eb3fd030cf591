import { type WebhookTarget, webhookPause } from "./webhook-poster.js";

/** Room for recording the outcome after the last attempt. */
const RECORD_MARGIN_MS = 30_000;

/** The email channel as the lease sees it: attempts, each bounded by the mailer's timeouts. */
export interface EmailBudget {
  readonly attempts: number;
  /** central.mail.timeoutMs: it bounds the connection, the greeting and each silence on the socket. */
  readonly timeoutMs: number;
}

/** The longest one email can take: every attempt running into all three of its timeouts, the pauses between. */
export function emailWorstCaseMs(email: EmailBudget): number {
  let total = 0;
  for (let attempt = 1; attempt <= email.attempts; attempt++) {
    total += 3 * email.timeoutMs;
    if (attempt < email.attempts) total += 1000 * attempt;
  }
  return total;
}

/** The longest one web hook can take: every attempt timing out, with the pauses between them. */
export function webhookWorstCaseMs(
  target: Pick<WebhookTarget, "attempts" | "timeoutMs" | "pauseMs">,
): number {
  let total = 0;
  for (let attempt = 1; attempt <= target.attempts; attempt++) {
    total += target.timeoutMs;
    if (attempt < target.attempts) total += (target.pauseMs ?? webhookPause)(attempt);
  }
  return total;
}

/**
 * How long this process's claim on a notification lasts (from just before its send): the configured
 * lease, or longer when a send on one of its channels can take longer, so that no other process
 * takes the notification over while this one is still sending it.
 */
export function claimLeaseMs(options: {
  readonly leaseSeconds: number;
  readonly email: EmailBudget | null;
  readonly webhook: Pick<WebhookTarget, "attempts" | "timeoutMs" | "pauseMs"> | null;
}): number {
  const longestSend = Math.max(
    options.email ? emailWorstCaseMs(options.email) : 0,
    options.webhook ? webhookWorstCaseMs(options.webhook) : 0,
  );
  return Math.max(options.leaseSeconds * 1000, longestSend + RECORD_MARGIN_MS);
}
