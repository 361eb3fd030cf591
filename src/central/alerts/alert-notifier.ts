import { ErrorCodes } from "../../core/error-codes.js";
import type { Logger } from "../../core/logger.js";
import type { Mailer } from "../mail/mailer.js";
import { alertEmail, webhookBody } from "./alert-message.js";
import type { ClaimedNotification, NotificationChannel, NotificationOutbox } from "./notification-outbox.js";
import { type DeliveryResult, deliverWebhook, type WebhookTarget } from "./webhook-poster.js";

/** Notifications waiting in one channel's queue, at most; see `notify`. */
const MAX_PENDING = 1000;

export interface AlertNotifierDeps {
  /** Where each notification's claim is renewed and its outcome recorded. */
  readonly outbox: Pick<NotificationOutbox, "startSend" | "settle" | "release">;
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
}

/** One channel's sends, one after another, in the order they were queued. */
interface ChannelQueue {
  tail: Promise<void>;
  waiting: number;
}

/**
 * Sends the notifications this process has claimed from the outbox: one email to every recipient
 * and one web hook POST per change, each channel in order in its own queue (a web hook that is down
 * does not hold up the emails), each retried a few times. Before a send the claim is renewed, so no
 * other process can take it over mid-send; afterwards the outcome is recorded on the row. A failure
 * is logged with its code; it never stops the watch or central.
 */
export class AlertNotifier {
  readonly #queues: Record<NotificationChannel, ChannelQueue> = {
    email: { tail: Promise.resolve(), waiting: 0 },
    webhook: { tail: Promise.resolve(), waiting: 0 },
  };
  /** Claimed and queued, not yet begun: what a stop gives back. */
  readonly #waiting = new Set<string>();
  #stopped = false;

  constructor(private readonly deps: AlertNotifierDeps) {}

  get channels(): readonly NotificationChannel[] {
    return [
      ...(this.deps.email ? (["email"] as const) : []),
      ...(this.deps.webhook ? (["webhook"] as const) : []),
    ];
  }

  /** How many more notifications the fullest of this process's channel queues takes. */
  room(): number {
    if (this.#stopped || this.channels.length === 0) return 0;
    return Math.min(...this.channels.map((channel) => MAX_PENDING - this.#queues[channel].waiting));
  }

  /**
   * Queues claimed notifications behind those still being sent. Beyond MAX_PENDING waiting in a
   * channel (a receiver down through a fleet-wide outage) a notification is left in the outbox: its
   * claim runs out and a later round, here or in another process, takes it again (or, past the
   * maximum age, marks it failed).
   */
  notify(claimed: readonly ClaimedNotification[]): void {
    for (const notification of claimed) {
      const queue = this.#queues[notification.channel];
      if (this.#stopped || queue.waiting >= MAX_PENDING) {
        const why = this.#stopped ? "central is stopping" : `${MAX_PENDING} already waiting`;
        this.deps.logger.warn(
          `alert ${notification.channel} for alert ${notification.change.alert.id} left in the outbox: ${why}`,
        );
        continue;
      }
      queue.waiting++;
      this.#waiting.add(notification.id);
      queue.tail = queue.tail
        .then(() => this.#send(notification))
        .finally(() => {
          queue.waiting--;
        })
        .catch((error: unknown) =>
          this.deps.logger.error(`alert notification failed: ${(error as Error).message}`, {
            code: ErrorCodes.INTERNAL,
          }),
        );
    }
  }

  /** Resolves when everything queued so far has been tried. */
  async settled(): Promise<void> {
    await Promise.all([this.#queues.email.tail, this.#queues.webhook.tail]);
  }

  /**
   * Sends nothing more, gives the claims of what has not begun back to the outbox (the next process
   * to look sends them at once, not after the lease), cuts retries short and waits for the sends
   * under way.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    const release = this.deps.outbox
      .release([...this.#waiting])
      .catch((error: unknown) =>
        this.deps.logger.warn(`alert notification claims not released: ${(error as Error).message}`),
      );
    await Promise.all([this.settled(), release]);
    this.deps.email?.mailer.close();
  }

  async #send(notification: ClaimedNotification): Promise<void> {
    if (this.#stopped) return;
    this.#waiting.delete(notification.id);
    const { change, channel } = notification;
    const what = `${change.event} ${change.alert.rule} on ${change.alert.deviceId} (alert ${change.alert.id})`;
    const start = await this.deps.outbox.startSend(notification.id);
    if (start === "lost") {
      this.deps.logger.info(`alert ${channel} for ${what} was taken over by another central process`);
      return;
    }
    if (start === "expired") {
      this.deps.logger.warn(`alert ${channel} not sent: ${what} waited too long`, {
        code: ErrorCodes.ALERT_NOTIFICATION_EXPIRED,
      });
      return;
    }
    const result = await this.#deliver(notification);
    if (result.outcome === "sent") this.deps.logger.info(`alert ${channel} sent: ${what}`);
    else
      this.deps.logger.warn(
        `alert ${channel} not sent after ${result.attempts} attempt(s): ${what}: ${result.error}`,
        { code: channel === "email" ? ErrorCodes.ALERT_EMAIL_FAILED : ErrorCodes.ALERT_WEBHOOK_FAILED },
      );
    const recorded = await this.deps.outbox.settle(notification.id, result).catch((error: unknown) => {
      this.deps.logger.warn(`alert notification outcome not recorded: ${(error as Error).message}`);
      return true;
    });
    if (!recorded)
      this.deps.logger.warn(
        `alert ${channel} for ${what}: the claim ran out during the send; another process may send it too`,
      );
  }

  #deliver(notification: ClaimedNotification): Promise<DeliveryResult> {
    const { email, webhook } = this.deps;
    if (notification.channel === "email" && email) return this.#email(notification, email);
    if (notification.channel === "webhook" && webhook)
      return deliverWebhook(
        webhook,
        JSON.stringify(webhookBody(notification.change, this.deps.dashboardUrl)),
        () => this.#stopped,
      );
    return Promise.resolve({
      outcome: "failed",
      attempts: 0,
      error: `no ${notification.channel} channel is configured on this central process`,
    });
  }

  async #email(
    notification: ClaimedNotification,
    email: NonNullable<AlertNotifierDeps["email"]>,
  ): Promise<DeliveryResult> {
    const message = alertEmail(notification.change, email.to.join(", "), this.deps.dashboardUrl);
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
