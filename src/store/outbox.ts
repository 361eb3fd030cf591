import type { Database, Statement } from "better-sqlite3";

/** What central answered for one revision (the record ack's result). */
export interface CentralAnswer {
  readonly recordId: string;
  readonly revision: number;
  /** Absent in answers recorded before central said it (then only "synced" is known). */
  readonly outcome?: "stored" | "superseded" | "duplicate" | "conflict" | "rejected";
  readonly code?: string;
  readonly reason?: string;
}

/** A revision central refused, kept for staff: its dead letter at central has the same code. */
export interface RefusedRevision {
  readonly recordId: string;
  readonly revision: number;
  readonly outcome: "conflict" | "rejected";
  readonly code: string | null;
  readonly reason: string | null;
  /** When central's answer arrived. */
  readonly answeredAt: string;
  readonly createdAt: string;
}

export interface OutboxEntry {
  readonly seq: number;
  readonly recordId: string;
  readonly revision: number;
  /** The record as JSON, exactly as it was committed. */
  readonly payload: string;
  readonly createdAt: string;
}

/**
 * The durable queue of record changes for central. Rows are added by the RecordStore in the
 * record's own transaction; the sync agent reads them in order and marks them synced only when
 * central acknowledges that it committed them.
 *
 * Synced rows stay (the history `db check` verifies), so the table only grows. Reads start at a low-
 * water mark instead of the first row: every unsynced row has a seq at or above it, so counting what
 * waits (on every status bar update) reads only the rows from the oldest unsynced one on, not the
 * kiosk's whole history. New rows get higher seqs; rows marked synced elsewhere only leave it low.
 */
export class Outbox {
  readonly #pending: Statement<
    [number, number],
    { seq: number; record_id: string; revision: number; payload: string; created_at: string }
  >;
  readonly #markSynced: Statement<[string, string | null, string | null, string | null, string, number]>;
  readonly #madeGood: Statement<[string, string, string, number]>;
  readonly #refused: Statement<
    [number],
    {
      record_id: string;
      revision: number;
      central_outcome: "conflict" | "rejected";
      refusal_code: string | null;
      refusal_reason: string | null;
      synced_at: string;
      created_at: string;
    }
  >;
  readonly #depth: Statement<
    [number],
    { depth: number; first: number | null; oldest: string | null; last: number | null }
  >;
  /** Every unsynced row's seq is at least this. */
  #lowWater = 0;

  constructor(private readonly db: Database) {
    this.#pending = db.prepare(
      "SELECT seq, record_id, revision, payload, created_at FROM outbox WHERE seq > ? AND synced_at IS NULL ORDER BY seq LIMIT ?",
    );
    this.#markSynced = db.prepare(
      `UPDATE outbox SET synced_at = ?, central_outcome = ?, refusal_code = ?, refusal_reason = ?
       WHERE record_id = ? AND revision = ? AND synced_at IS NULL`,
    );
    // Central replayed a refused revision from its dead letters after a fix and now holds it.
    this.#madeGood = db.prepare(
      `UPDATE outbox SET synced_at = ?, central_outcome = ?, refusal_code = NULL, refusal_reason = NULL
       WHERE record_id = ? AND revision = ? AND central_outcome IN ('conflict', 'rejected')`,
    );
    // A refusal needs attention until a later revision of the same record went through.
    this.#refused = db.prepare(
      `SELECT o.record_id, o.revision, o.central_outcome, o.refusal_code, o.refusal_reason, o.synced_at, o.created_at
         FROM outbox o
        WHERE o.central_outcome IN ('conflict', 'rejected')
          AND NOT EXISTS (
            SELECT 1 FROM outbox later
             WHERE later.record_id = o.record_id AND later.revision > o.revision
               AND later.central_outcome IN ('stored', 'superseded', 'duplicate'))
        ORDER BY o.seq DESC LIMIT ?`,
    );
    this.#depth = db.prepare(
      `SELECT count(*) AS depth, min(seq) AS first, min(created_at) AS oldest,
              (SELECT max(seq) FROM outbox) AS last
         FROM outbox WHERE seq >= ? AND synced_at IS NULL`,
    );
  }

  /** Up to `limit` unsynced entries after `afterSeq`, oldest first. */
  pending(limit: number, afterSeq = 0): OutboxEntry[] {
    return this.#pending.all(Math.max(afterSeq, this.#lowWater - 1), limit).map((row) => ({
      seq: row.seq,
      recordId: row.record_id,
      revision: row.revision,
      payload: row.payload,
      createdAt: row.created_at,
    }));
  }

  /**
   * Marks what central acknowledged, with what it answered; repeating an ack changes nothing. A
   * later acceptance of a refused revision (central replayed its dead letter) replaces the refusal.
   * Returns how many unsynced rows moved.
   */
  markSynced(acks: readonly CentralAnswer[], at: string): number {
    return this.db.transaction(() => {
      let changed = 0;
      for (const ack of acks) {
        const refused = ack.outcome === "conflict" || ack.outcome === "rejected";
        // An acceptance of a revision central had refused: it was replayed there, so staff need not
        // follow it up any longer. The row was synced already and does not count as moved.
        if (ack.outcome !== undefined && !refused)
          this.#madeGood.run(at, ack.outcome, ack.recordId, ack.revision);
        changed += this.#markSynced.run(
          at,
          ack.outcome ?? null,
          refused ? (ack.code ?? null) : null,
          refused ? (ack.reason ?? null) : null,
          ack.recordId,
          ack.revision,
        ).changes;
      }
      return changed;
    })();
  }

  /**
   * The revisions central refused (conflict or rejected) that no later revision of the same record
   * has made good, newest first: what the staff's "needs attention" list shows.
   */
  refused(limit = 100): RefusedRevision[] {
    return this.#refused.all(limit).map((row) => ({
      recordId: row.record_id,
      revision: row.revision,
      outcome: row.central_outcome,
      code: row.refusal_code,
      reason: row.refusal_reason,
      answeredAt: row.synced_at,
      createdAt: row.created_at,
    }));
  }

  /** How many changes wait for central, and when the oldest was made. */
  depth(): { depth: number; oldestCreatedAt: string | null } {
    const row = this.#depth.get(this.#lowWater);
    if (!row) return { depth: 0, oldestCreatedAt: null };
    // With nothing waiting, the mark stays on the newest row (not past it): should that row's
    // transaction roll back, its seq is handed out again, and the mark is still not past it.
    this.#lowWater = row.first ?? row.last ?? 0;
    return { depth: row.depth, oldestCreatedAt: row.oldest };
  }
}
