import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import type { Sql } from "../db/central-db.js";
import { type AlertChange, type AlertRow, alertOf } from "./alert-store.js";
import type { DeliveryResult } from "./webhook-poster.js";

export type NotificationChannel = "email" | "webhook";

/** A pending notification this process holds the claim on: it alone may send it. */
export interface ClaimedNotification {
  readonly id: string;
  readonly channel: NotificationChannel;
  readonly change: AlertChange;
}

/** What became of a claim just before its send: sent now, too old to send, or taken over. */
export type SendStart = "send" | "expired" | "lost";

export interface NotificationOutboxDeps {
  readonly db: Sql;
  /** This process among the central processes sharing the database (host, pid and a random part). */
  readonly claimant: string;
  /** How long a claim holds from when it is taken or renewed (claim-lease.ts). */
  readonly leaseMs: number;
  /** A notification older than this is marked failed, not sent. */
  readonly maxAgeMs: number;
  readonly clock: Clock;
}

const MAX_ERROR = 500;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The notifications of raises and clears, kept in `alert_notifications` (migration 016) from the
 * commit of the change until they are sent or given up: a crash loses none, and a claim per row
 * (claimed_by until claim_expires_at) keeps two central processes from sending one twice.
 */
export class NotificationOutbox {
  constructor(private readonly deps: NotificationOutboxDeps) {}

  get claimant(): string {
    return this.deps.claimant;
  }

  /** What an expired notification records, with its code. */
  expiredError(): string {
    const hours = Math.round(this.deps.maxAgeMs / 3_600_000);
    return `[${ErrorCodes.ALERT_NOTIFICATION_EXPIRED}] not sent: still waiting ${hours} h after the change (central.alerts.notificationMaxAgeHours); see the alert on the dashboard`;
  }

  /**
   * One pending row per channel for `change`, claimed by this process. Call it inside the
   * transaction that raises or clears the alert, so the change and its notifications commit together.
   */
  async queue(
    tx: Sql,
    change: AlertChange,
    channels: readonly NotificationChannel[],
  ): Promise<ClaimedNotification[]> {
    if (channels.length === 0) return [];
    const now = this.deps.clock.now().getTime();
    const rows = await tx.query<{ id: unknown; channel: NotificationChannel }>(
      `INSERT INTO alert_notifications
         (alert_id, event, channel, outcome, attempts, error, at, queued_at, claimed_by, claim_expires_at)
       SELECT $1::bigint, $2, channel, 'pending', 0, NULL, $3::timestamptz, $3::timestamptz, $4, $5::timestamptz
       FROM unnest($6::text[]) WITH ORDINALITY AS c (channel, n) ORDER BY n
       RETURNING id, channel`,
      [change.alert.id, change.event, iso(now), this.deps.claimant, iso(now + this.deps.leaseMs), channels],
    );
    return rows.map((row) => ({ id: String(row.id), channel: row.channel, change }));
  }

  /**
   * Claims up to `limit` pending notifications on `channels` that nobody holds (their claimant died
   * or stopped), oldest first. Rows another process is claiming at this moment are skipped, and the
   * claim is re-checked on the row it locks, so each row goes to one process only.
   */
  async claimAbandoned(
    channels: readonly NotificationChannel[],
    limit: number,
  ): Promise<ClaimedNotification[]> {
    if (channels.length === 0 || limit <= 0) return [];
    const now = this.deps.clock.now().getTime();
    const rows = await this.deps.db.query<
      AlertRow & { notification_id: unknown; event: "raised" | "cleared"; channel: NotificationChannel }
    >(
      `UPDATE alert_notifications n SET claimed_by = $1, claim_expires_at = $2::timestamptz
       FROM alerts a
       WHERE a.id = n.alert_id AND n.outcome = 'pending'
         AND (n.claim_expires_at IS NULL OR n.claim_expires_at <= $3::timestamptz)
         AND n.id IN (
           SELECT id FROM alert_notifications
           WHERE outcome = 'pending' AND channel = ANY($4::text[])
             AND (claim_expires_at IS NULL OR claim_expires_at <= $3::timestamptz)
             AND queued_at >= $5::timestamptz
           ORDER BY id LIMIT $6 FOR UPDATE SKIP LOCKED)
       RETURNING n.id AS notification_id, n.event, n.channel,
         a.id, a.device_id, a.rule, a.raised_at, a.cleared_at, a.detail`,
      [
        this.deps.claimant,
        iso(now + this.deps.leaseMs),
        iso(now),
        channels,
        iso(now - this.deps.maxAgeMs),
        limit,
      ],
    );
    return rows
      .flatMap((row): ClaimedNotification[] => {
        const alert = alertOf(row);
        if (!alert) return [];
        // A raise is announced as it was made, even when the alert has cleared since (the clear has its own).
        const announced = row.event === "raised" ? { ...alert, clearedAt: null } : alert;
        return [
          {
            id: String(row.notification_id),
            channel: row.channel,
            change: { event: row.event, alert: announced },
          },
        ];
      })
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  /**
   * Just before a send: renews this process's claim for a full lease, or marks the row failed when
   * it waited past the maximum age. "lost": another process took it over (this one waited past its
   * lease), so this one must not send it.
   */
  async startSend(id: string): Promise<SendStart> {
    const now = this.deps.clock.now().getTime();
    const [row] = await this.deps.db.query<{ outcome: string }>(
      `UPDATE alert_notifications SET
         outcome = CASE WHEN queued_at >= $4::timestamptz THEN 'pending' ELSE 'failed' END,
         claim_expires_at = CASE WHEN queued_at >= $4::timestamptz THEN $3::timestamptz END,
         error = CASE WHEN queued_at >= $4::timestamptz THEN error ELSE $5 END,
         at = CASE WHEN queued_at >= $4::timestamptz THEN at ELSE $6::timestamptz END
       WHERE id = $1::bigint AND claimed_by = $2 AND outcome = 'pending'
       RETURNING outcome`,
      [
        id,
        this.deps.claimant,
        iso(now + this.deps.leaseMs),
        iso(now - this.deps.maxAgeMs),
        this.expiredError(),
        iso(now),
      ],
    );
    if (!row) return "lost";
    return row.outcome === "pending" ? "send" : "expired";
  }

  /** Records a send's outcome; false when the claim was no longer this process's (nothing changed). */
  async settle(id: string, result: DeliveryResult): Promise<boolean> {
    const rows = await this.deps.db.query(
      `UPDATE alert_notifications
       SET outcome = $3, attempts = $4, error = $5, at = $6::timestamptz, claim_expires_at = NULL
       WHERE id = $1::bigint AND claimed_by = $2 AND outcome = 'pending' RETURNING id`,
      [
        id,
        this.deps.claimant,
        result.outcome,
        result.attempts,
        result.error?.slice(0, MAX_ERROR) ?? null,
        this.deps.clock.now().toISOString(),
      ],
    );
    return rows.length === 1;
  }

  /**
   * Marks failed every pending notification past the maximum age that no live process holds;
   * returns how many. A late alert misleads more than a missing one, which the dashboard still shows.
   */
  async expireOld(): Promise<number> {
    const now = this.deps.clock.now().getTime();
    const rows = await this.deps.db.query(
      `UPDATE alert_notifications
       SET outcome = 'failed', error = $3, at = $1::timestamptz, claim_expires_at = NULL
       WHERE outcome = 'pending' AND queued_at < $2::timestamptz
         AND (claim_expires_at IS NULL OR claim_expires_at <= $1::timestamptz)
       RETURNING id`,
      [iso(now), iso(now - this.deps.maxAgeMs), this.expiredError()],
    );
    return rows.length;
  }

  /**
   * Gives back this process's claims on `ids` (it is stopping and will not send them): the next
   * process to look takes them at once instead of after the lease.
   */
  async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.deps.db.query(
      `UPDATE alert_notifications SET claimed_by = NULL, claim_expires_at = NULL
       WHERE claimed_by = $1 AND outcome = 'pending' AND id = ANY($2::bigint[])`,
      [this.deps.claimant, ids],
    );
  }
}
