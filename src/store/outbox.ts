import type { Database, Statement } from "better-sqlite3";

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
  readonly #markSynced: Statement<[string, string, number]>;
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
      "UPDATE outbox SET synced_at = ? WHERE record_id = ? AND revision = ? AND synced_at IS NULL",
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

  /** Marks what central acknowledged; repeating an ack changes nothing. Returns how many rows moved. */
  markSynced(acks: readonly { recordId: string; revision: number }[], at: string): number {
    return this.db.transaction(() => {
      let changed = 0;
      for (const ack of acks) changed += this.#markSynced.run(at, ack.recordId, ack.revision).changes;
      return changed;
    })();
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
