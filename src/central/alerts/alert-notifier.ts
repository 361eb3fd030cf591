import { ErrorCodes } from "../../core/error-codes.js";
import type { Logger } from "../../core/logger.js";
import type { Sql } from "../db/central-db.js";
import type { Mailer } from "../mail/mailer.js";
import { alertEmail, webhookBody } from "./alert-message.js";
import { type AlertChange, recordNotification } from "./alert-store.js";
import { type DeliveryResult, deliverWebhook, type WebhookTarget } from "./webhook-poster.js";

/** Changes waiting to be sent, at most; see `notify`. */
const MAX_PENDING = 1000;

export interface AlertNotifierDeps {
  readonly db: Sql;
  /** Email: the mailer on central.mail and who gets it; null: no email. */
  readonly email: {
    readonly mailer: Mailer;
    readonly to: readonly string[];
    readonly attempts: number;
  } | null;
  readonly webhook: WebhookTarget | null;
  /** The dashboard's address, for the link to each kiosk's page. */
  readonly dashboardUrl: string | null;
  readonly logger: Logger;
  readonly now: () => Date;
}

/**
 * Tells people about raises and clears, after they are committed: one email to every recipient and
 * one web hook POST per change, in order, each retried a few times. A failure is logged with its
 * code and recorded beside the alert; it never stops the watch or central.
 */
export class AlertNotifier {
  #queue: Promise<void> = Promise.resolve();
  #pending = 0;
  #stopped = false;

  constructor(private readonly deps: AlertNotifierDeps) {}

  get channels(): readonly ("email" | "webhook")[] {
    return [
      ...(this.deps.email ? (["email"] as const) : []),
      ...(this.deps.webhook ? (["webhook"] as const) : []),
    ];
  }

  /**
   * Queues the changes; they go out one after another, behind any still being sent. Beyond
   * MAX_PENDING waiting (a fleet-wide outage with a receiver down) a change is not sent: it is
   * logged and recorded as failed, and stays on the Alerts page.
   */
  notify(changes: readonly AlertChange[]): void {
    if (changes.length === 0 || this.channels.length === 0) return;
    for (const change of changes) {
      if (this.#pending >= MAX_PENDING) {
        const error = `not sent: ${MAX_PENDING} notifications already waiting`;
        for (const channel of this.channels)
          void this.#outcome(change, channel, { outcome: "failed", attempts: 0, error });
        continue;
      }
      this.#pending++;
      this.#queue = this.#queue
        .then(() => this.#send(change))
        .finally(() => {
          this.#pending--;
        })
        .catch((error: unknown) =>
          this.deps.logger.error(`alert notification failed: ${(error as Error).message}`, {
            code: ErrorCodes.INTERNAL,
          }),
        );
    }
  }

  /** Resolves when everything queued so far has been tried. */
  settled(): Promise<void> {
    return this.#queue;
  }

  /** Cuts retries short and waits for the attempt under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#queue;
    this.deps.email?.mailer.close();
  }

  async #send(change: AlertChange): Promise<void> {
    const { email, webhook } = this.deps;
    const deliveries: Promise<void>[] = [];
    if (email) deliveries.push(this.#deliver(change, "email", () => this.#email(change, email)));
    if (webhook)
      deliveries.push(
        this.#deliver(change, "webhook", () =>
          deliverWebhook(
            webhook,
            JSON.stringify(webhookBody(change, this.deps.dashboardUrl)),
            () => this.#stopped,
          ),
        ),
      );
    await Promise.all(deliveries);
  }

  async #deliver(
    change: AlertChange,
    channel: "email" | "webhook",
    attempt: () => Promise<DeliveryResult>,
  ): Promise<void> {
    await this.#outcome(change, channel, await attempt());
  }

  /** Logs a delivery's outcome (a failure with its code) and records it beside the alert. */
  async #outcome(change: AlertChange, channel: "email" | "webhook", result: DeliveryResult): Promise<void> {
    const what = `${change.event} ${change.alert.rule} on ${change.alert.deviceId} (alert ${change.alert.id})`;
    if (result.outcome === "sent") this.deps.logger.info(`alert ${channel} sent: ${what}`);
    else
      this.deps.logger.warn(
        `alert ${channel} not sent after ${result.attempts} attempt(s): ${what}: ${result.error}`,
        {
          code: channel === "email" ? ErrorCodes.ALERT_EMAIL_FAILED : ErrorCodes.ALERT_WEBHOOK_FAILED,
        },
      );
    await recordNotification(this.deps.db, change, channel, result, this.deps.now().toISOString()).catch(
      (error: unknown) =>
        this.deps.logger.warn(`alert notification outcome not recorded: ${(error as Error).message}`),
    );
  }

  async #email(change: AlertChange, email: NonNullable<AlertNotifierDeps["email"]>): Promise<DeliveryResult> {
    const message = alertEmail(change, email.to.join(", "), this.deps.dashboardUrl);
    let error: string | null = null;
    for (let attempt = 1; attempt <= email.attempts; attempt++) {
      try {
        await email.mailer.send(message);
        return { outcome: "sent", attempts: attempt, error: null };
      } catch (caught) {
        error = (caught as Error).message;
      }
      if (this.#stopped) return { outcome: "failed", attempts: attempt, error };
      if (attempt < email.attempts)
        await new Promise((resolve) => setTimeout(resolve, 1000 * attempt).unref());
    }
    return { outcome: "failed", attempts: email.attempts, error };
  }
}
