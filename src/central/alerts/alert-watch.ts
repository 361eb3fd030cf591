import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import type { Logger } from "../../core/logger.js";
import { listKiosks } from "../dashboard/fleet/fleet-queries.js";
import type { Sql } from "../db/central-db.js";
import { withTimeLimit } from "../time-limit.js";
import type { AlertNotifier } from "./alert-notifier.js";
import {
  type AlertChange,
  clearAlert,
  clearDisabledRules,
  openAlerts,
  pruneAlerts,
  raiseAlert,
} from "./alert-store.js";
import type { AlertsConfig } from "./config.js";
import { evaluateKiosk } from "./evaluate.js";
import { ALERT_RULES } from "./rules.js";

/** How long a stop waits for the round under way, and again for its notifications. */
const STOP_BUDGET_MS = 3000;

export interface AlertWatchDeps {
  readonly db: Sql;
  readonly config: AlertsConfig;
  readonly notifier: AlertNotifier;
  readonly logger: Logger;
  readonly clock: Clock;
}

const HOUR_MS = 3_600_000;

/**
 * Checks every kiosk against the rules every `intervalSeconds`, one round at a time: raises what
 * started to hold, clears what ended, then hands the changes to the notifier (after each change is
 * committed). A round that fails (the database away) is logged and the next one tries again.
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
    const enabled = ALERT_RULES.filter((rule) => config.rules[rule].enabled);
    await clearDisabledRules(db, enabled, at);
    const [kiosks, open] = await Promise.all([listKiosks(db), openAlerts(db)]);
    const isOpen = new Set(open.map((alert) => `${alert.deviceId}\n${alert.rule}`));
    const changes: AlertChange[] = [];
    // Each change is announced as soon as it is committed: a later failure in the round loses none.
    const made = (change: AlertChange): void => {
      const { event, alert } = change;
      const text = `alert ${event}: ${alert.rule} on ${alert.deviceId}: ${alert.detail}`;
      if (event === "raised") logger.warn(text);
      else logger.info(text);
      changes.push(change);
      this.deps.notifier.notify([change]);
    };
    for (const kiosk of kiosks) {
      for (const verdict of evaluateKiosk(kiosk, config.rules, now)) {
        const wasOpen = isOpen.has(`${kiosk.deviceId}\n${verdict.rule}`);
        if (verdict.holds === true && !wasOpen) {
          const alert = await raiseAlert(db, kiosk.deviceId, verdict.rule, verdict.detail, at);
          if (alert) made({ event: "raised", alert });
        } else if (verdict.holds === false && wasOpen) {
          const alert = await clearAlert(db, kiosk.deviceId, verdict.rule, at);
          if (alert) made({ event: "cleared", alert });
        }
      }
    }
    if (now.getTime() - this.#prunedAt >= HOUR_MS) {
      this.#prunedAt = now.getTime();
      await pruneAlerts(db, new Date(now.getTime() - config.retentionDays * 24 * HOUR_MS).toISOString());
    }
    return changes;
  }
}
