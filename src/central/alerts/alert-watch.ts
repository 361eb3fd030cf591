import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import type { Logger } from "../../core/logger.js";
import { listKiosks } from "../dashboard/fleet/fleet-queries.js";
import type { CentralDb, Sql } from "../db/central-db.js";
import { withTimeLimit } from "../time-limit.js";
import type { AlertNotifier } from "./alert-notifier.js";
import {
  type Alert,
  type AlertChange,
  clearAlert,
  clearDisabledRules,
  openAlerts,
  pruneAlerts,
  raiseAlert,
} from "./alert-store.js";
import type { AlertsConfig } from "./config.js";
import { evaluateKiosk } from "./evaluate.js";
import type { NotificationOutbox } from "./notification-outbox.js";
import { ALERT_RULES } from "./rules.js";

/** How long a stop waits for the round under way, and again for its notifications. */
const STOP_BUDGET_MS = 3000;

export interface AlertWatchDeps {
  readonly db: CentralDb;
  readonly config: AlertsConfig;
  readonly notifier: AlertNotifier;
  /** Where each change's notifications wait until sent (shared by every central process). */
  readonly outbox: NotificationOutbox;
  readonly logger: Logger;
  readonly clock: Clock;
}

const HOUR_MS = 3_600_000;

/** Notifications taken over from the outbox in one round, at most. */
const TAKE_OVER_PER_ROUND = 100;

/**
 * Checks every kiosk against the rules every `intervalSeconds`, one round at a time: raises what
 * started to hold, clears what ended, each in one transaction with its notifications in the outbox,
 * then hands those to the notifier. Each round first marks notifications too old to send as failed
 * and takes over those whose claimant died. A round that fails (the database away) is logged and the
 * next one tries again.
 */
export class AlertWatch {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();
  #prunedAt = 0;

  constructor(private readonly deps: AlertWatchDeps) {}

  start(): void {
    if (this.#timer) return;
    this.#schedule();
    this.#timer = setInterval(() => this.#schedule(), this.deps.config.intervalSeconds * 1000);
    this.#timer.unref();
  }

  /**
   * No more rounds; the one under way and the notifications queued get a few seconds. A round left
   * behind (its database hangs) is abandoned: its transaction never commits, so nothing is half-raised.
   */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await withTimeLimit(this.#running, STOP_BUDGET_MS, "the alert round under way").catch((error: unknown) =>
      this.deps.logger.warn(`stopping alerts: ${(error as Error).message}`),
    );
    await withTimeLimit(this.deps.notifier.stop(), STOP_BUDGET_MS, "alert notifications").catch(
      (error: unknown) => this.deps.logger.warn(`stopping alerts: ${(error as Error).message}`),
    );
  }

  #schedule(): void {
    this.#running = this.#running
      .then(() => this.round())
      .catch((error: unknown) =>
        this.deps.logger.warn(`the alert round failed: ${(error as Error).message}`, {
          code: ErrorCodes.ALERT_ROUND_FAILED,
        }),
      );
  }

  /** One round over the fleet; returns the raises and clears it made. */
  async round(): Promise<AlertChange[]> {
    const { db, config, logger } = this.deps;
    const now = this.deps.clock.now();
    const at = now.toISOString();
    await this.#takeOver();
    const enabled = ALERT_RULES.filter((rule) => config.rules[rule].enabled);
    await clearDisabledRules(db, enabled, at);
    const [kiosks, open] = await Promise.all([listKiosks(db), openAlerts(db)]);
    const isOpen = new Set(open.map((alert) => `${alert.deviceId}\n${alert.rule}`));
    const changes: AlertChange[] = [];
    // Each change commits with its notifications, which are sent as soon as it is committed.
    const made = async (
      event: AlertChange["event"],
      write: (tx: Sql) => Promise<Alert | null>,
    ): Promise<void> => {
      const committed = await db.transaction(async (tx) => {
        const alert = await write(tx);
        if (!alert) return null;
        const claimed = await this.deps.outbox.queue(tx, { event, alert }, this.deps.notifier.channels);
        return { alert, claimed };
      });
      if (!committed) return;
      const { alert, claimed } = committed;
      const text = `alert ${event}: ${alert.rule} on ${alert.deviceId}: ${alert.detail}`;
      if (event === "raised") logger.warn(text);
      else logger.info(text);
      changes.push({ event, alert });
      this.deps.notifier.notify(claimed);
    };
    for (const kiosk of kiosks) {
      for (const verdict of evaluateKiosk(kiosk, config.rules, now)) {
        const wasOpen = isOpen.has(`${kiosk.deviceId}\n${verdict.rule}`);
        if (verdict.holds === true && !wasOpen) {
          await made("raised", (tx) => raiseAlert(tx, kiosk.deviceId, verdict.rule, verdict.detail, at));
        } else if (verdict.holds === false && wasOpen) {
          await made("cleared", (tx) => clearAlert(tx, kiosk.deviceId, verdict.rule, at));
        }
      }
    }
    if (now.getTime() - this.#prunedAt >= HOUR_MS) {
      this.#prunedAt = now.getTime();
      await pruneAlerts(db, new Date(now.getTime() - config.retentionDays * 24 * HOUR_MS).toISOString());
    }
    return changes;
  }

  /** Gives up what is too old to send, then takes over what a dead process had claimed. */
  async #takeOver(): Promise<void> {
    const { outbox, notifier, logger } = this.deps;
    const expired = await outbox.expireOld();
    if (expired > 0)
      logger.warn(
        `${expired} alert notification(s) not sent: older than ${this.deps.config.notificationMaxAgeHours} h, marked failed`,
        { code: ErrorCodes.ALERT_NOTIFICATION_EXPIRED },
      );
    const taken = await outbox.claimAbandoned(
      notifier.channels,
      Math.min(TAKE_OVER_PER_ROUND, notifier.room()),
    );
    if (taken.length > 0)
      logger.info(`sending ${taken.length} alert notification(s) left unsent by a central process`);
    notifier.notify(taken);
  }
}
