import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import type { Logger } from "../../core/logger.js";
import { readOwnerOnlySecret } from "../../core/secret-file.js";
import type { CentralConfig } from "../config.js";
import type { CentralDb } from "../db/central-db.js";
import { createMailer } from "../mail/mailer.js";
import { AlertNotifier } from "./alert-notifier.js";
import { AlertWatch } from "./alert-watch.js";
import { claimLeaseMs } from "./claim-lease.js";
import { NotificationOutbox } from "./notification-outbox.js";

/**
 * The alert watch, when central.alerts.enabled, with its channels: email through central.mail and
 * the web hook. A channel that cannot be used (no mail section, an unreadable secret) is logged with
 * its code and left out; the watch and the dashboard's alerts run regardless.
 */
export function startAlerts(deps: {
  readonly config: CentralConfig;
  readonly db: CentralDb;
  /** The dashboard's own address, for links when central.alerts.dashboardUrl is not set. */
  readonly dashboardUrl: string | null;
  readonly logger: Logger;
  readonly clock: Clock;
}): AlertWatch | null {
  const { config, logger } = deps;
  const alerts = config.alerts;
  if (!alerts.enabled) return null;
  const log = logger.child("alerts");
  let email: ConstructorParameters<typeof AlertNotifier>[0]["email"] = null;
  if (alerts.email) {
    if (!config.mail) {
      log.error(
        `[${ErrorCodes.ALERT_EMAIL_NO_MAIL}] central.alerts.email is set but central.mail is not: no alert is emailed. Configure central.mail.`,
        { code: ErrorCodes.ALERT_EMAIL_NO_MAIL },
      );
    } else {
      try {
        email = { mailer: createMailer(config.mail, log), to: alerts.email.to, attempts: 3 };
      } catch (error) {
        const code = String((error as { code?: unknown }).code ?? ErrorCodes.INTERNAL);
        log.error(`the mail server is not usable, no alert is emailed: ${(error as Error).message}`, {
          code,
        });
      }
    }
  }
  let webhook: ConstructorParameters<typeof AlertNotifier>[0]["webhook"] = null;
  if (alerts.webhook) {
    try {
      const secret = alerts.webhook.secretFile
        ? readOwnerOnlySecret(alerts.webhook.secretFile, /^[^\r\n]{16,256}$/, "the alert web hook's secret")
        : null;
      webhook = { ...alerts.webhook, secret };
    } catch (error) {
      const code = String((error as { code?: unknown }).code ?? ErrorCodes.INTERNAL);
      log.error(`the alert web hook is not usable, none is sent: ${(error as Error).message}`, { code });
    }
  }
  const outbox = new NotificationOutbox({
    db: deps.db,
    // One id per process: a restarted central is another claimant, and takes over its own leftovers.
    claimant: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseMs: claimLeaseMs({
      leaseSeconds: alerts.notificationLeaseSeconds,
      email: email && config.mail ? { attempts: email.attempts, timeoutMs: config.mail.timeoutMs } : null,
      webhook,
    }),
    maxAgeMs: alerts.notificationMaxAgeHours * 3_600_000,
    clock: deps.clock,
  });
  const notifier = new AlertNotifier({
    outbox,
    email,
    webhook,
    dashboardUrl: alerts.dashboardUrl ?? deps.dashboardUrl,
    logger: log,
  });
  const watch = new AlertWatch({
    db: deps.db,
    config: alerts,
    notifier,
    outbox,
    logger: log,
    clock: deps.clock,
  });
  watch.start();
  log.info(
    `watching the fleet every ${alerts.intervalSeconds} s; notifying by ${notifier.channels.join(" and ") || "no channel (dashboard only)"}`,
  );
  return watch;
}
