import type { CentralMigration } from "./migration.js";

/**
 * Alert notifications become a durable outbox. The raise or clear of an alert and one 'pending' row
 * per channel (email, web hook) commit together, so a crash between the commit and the send loses
 * nothing. The rows stay in `alert_notifications` (not a table of their own): the dashboard already
 * shows them per alert, and a pending row becomes 'sent' or 'failed' in place.
 *
 * A process sends only rows it has claimed: `claimed_by` (one id per central process) until
 * `claim_expires_at`. The process that raised claims its rows in the same transaction; any process
 * takes over a pending row whose claim has expired (its claimant died), with one
 * `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`, so two processes never both hold it.
 * `queued_at` is when the change was made: a row left pending past `central.alerts`'
 * `notificationMaxAgeHours` is marked failed instead of being sent late. Older rows were written
 * after their send, so their `queued_at` is their `at`.
 */
export const alertNotificationOutbox: CentralMigration = {
  version: 16,
  name: "alert-notification-outbox",
  sql: `
    ALTER TABLE alert_notifications DROP CONSTRAINT alert_notifications_outcome_check;
    ALTER TABLE alert_notifications
      ADD CONSTRAINT alert_notifications_outcome_check CHECK (outcome IN ('pending', 'sent', 'failed')),
      ADD COLUMN queued_at timestamptz,
      ADD COLUMN claimed_by text,
      ADD COLUMN claim_expires_at timestamptz;
    UPDATE alert_notifications SET queued_at = at;
    ALTER TABLE alert_notifications ALTER COLUMN queued_at SET NOT NULL;
    CREATE INDEX alert_notifications_pending ON alert_notifications (id) WHERE outcome = 'pending';
  `,
};
