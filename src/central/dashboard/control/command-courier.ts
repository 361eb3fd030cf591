import type { Clock } from "../../../core/clock.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { newId as makeId } from "../../../core/ids.js";
import type { Logger } from "../../../core/logger.js";
import { encodeMessage } from "../../../sync/protocol/codec.js";
import type { Command } from "../../../sync/protocol/messages.js";
import type { CentralDb } from "../../db/central-db.js";
import { withTimeLimit } from "../../time-limit.js";
import type { Downlink } from "./downlink.js";

/** How long a claim keeps other central processes off a command while this one publishes it. */
/** How long a stop waits for the pass under way. */
const STOP_BUDGET_MS = 3000;

export const CLAIM_SECONDS = 30;

/** A command this process has claimed and may publish. */
export interface ClaimedCommand {
  /** Exactly as central signed it when the operator sent it. */
  readonly signed: Command;
}

export interface DeliveryPass {
  readonly delivered: number;
  readonly expired: number;
  /** Claimed but not taken by the broker: they stay queued. */
  readonly waiting: number;
}

/** The same instant, in a form PostgreSQL compares without the client's time zone. */
const iso = (date: Date): string => date.toISOString();

/**
 * Delivers commands that wait. Kiosks keep no broker session, so a command is published only while
 * its kiosk is online (central's `devices.state`, written by ingest from the kiosk's retained state
 * message, which it sends only once it has subscribed to its downlink). A pass — on a timer, when the
 * dashboard (re)connects to the broker, and once at start — first marks every queued command whose
 * expiry has passed `expired` (never published after that), then claims the queued commands of
 * online kiosks with one UPDATE … RETURNING (a row another process has claimed is skipped) and
 * publishes each, oldest first, recording `delivered` once the broker has taken it (PUBACK). One
 * the broker does not take stays queued for the next pass. A second central process doing the same
 * at the same moment claims nothing twice; and were a command ever published twice, the kiosk runs
 * a command id once and refuses the replay (REMOTE_COMMAND_REPLAYED).
 */
export class CommandCourier {
  readonly #newId: () => string;
  #timer: NodeJS.Timeout | null = null;
  /** Passes run one after another in this process, so one kiosk's commands go out in order. */
  #chain: Promise<unknown> = Promise.resolve();
  /** A timer or reconnection pass is already waiting its turn: another would find nothing more. */
  #pending = false;
  #stopped = false;

  constructor(
    private readonly deps: {
      db: CentralDb;
      downlink: Downlink;
      clock: Clock;
      logger: Logger;
      newId?: () => string;
    },
  ) {
    this.#newId = deps.newId ?? makeId;
  }

  /** Runs a pass now and every `intervalMs`. */
  start(intervalMs: number): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#stopped = false;
    this.#timer = setInterval(() => this.nudge(), intervalMs);
    this.#timer.unref();
    this.nudge();
  }

  /**
   * No more passes; the one under way gets a few seconds (each ends in the database, not half-way).
   * One left behind (its database hangs) is abandoned: its claims run out and another pass sends them.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await withTimeLimit(
      this.#chain.catch(() => {}),
      STOP_BUDGET_MS,
      "the courier's pass under way",
    ).catch((error: unknown) => this.deps.logger.warn(`stopping the courier: ${(error as Error).message}`));
  }

  /** Asks for a pass of every kiosk (the timer, a reconnection); never two waiting at once. */
  nudge(): void {
    if (this.#stopped || this.#pending) return;
    this.#pending = true;
    this.#exclusive(() => {
      this.#pending = false;
      return this.#pass(null);
    }).catch((error: unknown) =>
      this.deps.logger.warn(`waiting commands not delivered: ${(error as Error).message}`),
    );
  }

  /** One pass over every kiosk, after any under way. */
  deliverWaiting(): Promise<DeliveryPass> {
    return this.#exclusive(() => this.#pass(null));
  }

  /**
   * One pass for one kiosk, after any under way: how a command just written for an online kiosk is
   * sent, behind any older one still waiting for it (a lock, then the unlock sent after it). It
   * tries the broker even when the connection is down, so the command records that it was refused.
   */
  deliverTo(deviceId: string): Promise<DeliveryPass> {
    return this.#exclusive(() => this.#pass(deviceId));
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#chain.catch(() => {}).then(work);
    this.#chain = run;
    return run;
  }

  async #pass(deviceId: string | null): Promise<DeliveryPass> {
    // The usual case, every 2 s: nothing waits (one look at a partial index).
    const [any] = await this.deps.db.query("SELECT 1 FROM commands WHERE delivery = 'queued' LIMIT 1");
    if (!any) return { delivered: 0, expired: 0, waiting: 0 };
    const expired = await this.expireOverdue();
    // Without the broker a publication can only fail: the commands keep waiting, unclaimed.
    if (!this.deps.downlink.connected && deviceId === null) return { delivered: 0, expired, waiting: 0 };
    const claimed = await this.#claimForOnlineKiosks(deviceId);
    const outcome = await this.#publishClaimed(claimed);
    return { ...outcome, expired: expired + outcome.expired };
  }

  /** Marks queued commands past their expiry (and not being published right now) expired. */
  async expireOverdue(): Promise<number> {
    const now = iso(this.deps.clock.now());
    const rows = await this.deps.db.query<{ command_id: string; device_id: string; name: string }>(
      `UPDATE commands SET delivery = 'expired', expired_at = $1::timestamptz, claimed_until = NULL
       WHERE delivery = 'queued' AND expires_at <= $1::timestamptz
         AND (claimed_until IS NULL OR claimed_until <= $1::timestamptz)
       RETURNING command_id, device_id, name`,
      [now],
    );
    for (const row of rows) {
      const code = ErrorCodes.DASHBOARD_COMMAND_EXPIRED;
      this.deps.logger.warn(
        `[${code}] ${row.name} for ${row.device_id} expired before the kiosk came back: it will not be sent`,
        { code, commandId: row.command_id },
      );
    }
    return rows.length;
  }

  /** Claims the queued commands of online kiosks (or of one), skipping any another process holds. */
  async #claimForOnlineKiosks(deviceId: string | null): Promise<ClaimedCommand[]> {
    const now = iso(this.deps.clock.now());
    const rows = await this.deps.db.query<{ signed: Command }>(
      `UPDATE commands c SET claimed_until = $1::timestamptz + make_interval(secs => $2)
       FROM devices d
       WHERE d.device_id = c.device_id AND d.state = 'online'
         AND c.delivery = 'queued' AND c.expires_at > $1::timestamptz
         AND (c.claimed_until IS NULL OR c.claimed_until <= $1::timestamptz)
         AND ($3::text IS NULL OR c.device_id = $3::text)
       RETURNING c.signed`,
      [now, CLAIM_SECONDS, deviceId],
    );
    return rows.map((row) => ({ signed: row.signed }));
  }

  /**
   * Publishes commands this process has claimed, oldest first (a lock before the unlock that
   * followed it). One whose expiry has passed meanwhile is marked expired instead. After the first
   * the broker does not take, the rest are released for the next pass.
   */
  async #publishClaimed(claimed: readonly ClaimedCommand[]): Promise<DeliveryPass> {
    const ordered = [...claimed].sort(
      (a, b) =>
        a.signed.issuedAt.localeCompare(b.signed.issuedAt) ||
        a.signed.commandId.localeCompare(b.signed.commandId),
    );
    let delivered = 0;
    let expired = 0;
    let brokerDown = false;
    for (const { signed } of ordered) {
      const now = this.deps.clock.now();
      if (Date.parse(signed.expiresAt) <= now.getTime()) {
        expired += await this.#markExpired(signed, now);
        continue;
      }
      if (brokerDown) {
        await this.#release(signed, false);
        continue;
      }
      const message = encodeMessage("command", signed.deviceId, signed, {
        messageId: this.#newId(),
        sentAt: iso(now),
      });
      if (await this.deps.downlink.publish(message)) {
        await this.deps.db.query(
          `UPDATE commands SET delivery = 'delivered', delivered_at = $2::timestamptz, claimed_until = NULL,
             attempts = attempts + 1
           WHERE command_id = $1 AND delivery = 'queued'`,
          [signed.commandId, iso(this.deps.clock.now())],
        );
        delivered += 1;
        this.deps.logger.info(`${signed.name} for ${signed.deviceId}: delivered`, {
          commandId: signed.commandId,
        });
      } else {
        brokerDown = true;
        await this.#release(signed, true);
        const code = ErrorCodes.DASHBOARD_BROKER_UNREACHABLE;
        this.deps.logger.error(
          `[${code}] ${signed.name} for ${signed.deviceId} not taken by the broker: it waits for the next try`,
          { code, commandId: signed.commandId },
        );
      }
    }
    return { delivered, expired, waiting: ordered.length - delivered - expired };
  }

  async #markExpired(signed: Command, now: Date): Promise<number> {
    const rows = await this.deps.db.query(
      `UPDATE commands SET delivery = 'expired', expired_at = $2::timestamptz, claimed_until = NULL
       WHERE command_id = $1 AND delivery = 'queued' RETURNING 1`,
      [signed.commandId, iso(now)],
    );
    return rows.length;
  }

  /** Gives a claimed command back to the queue; `tried`: a publication was attempted. */
  async #release(signed: Command, tried: boolean): Promise<void> {
    await this.deps.db.query(
      `UPDATE commands SET claimed_until = NULL, attempts = attempts + $2 WHERE command_id = $1 AND delivery = 'queued'`,
      [signed.commandId, tried ? 1 : 0],
    );
  }
}
