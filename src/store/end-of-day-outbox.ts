import type { Database, Statement } from "better-sqlite3";
import type { EndOfDayItem, EndOfDayItemType } from "../payments/end-of-day.js";

export interface EndOfDayEntry {
  readonly seq: number;
  readonly itemId: string;
  readonly revision: number;
  readonly type: EndOfDayItemType;
  /** The item as JSON, exactly as it was committed. */
  readonly payload: string;
}

/** What central answered for one item revision. */
export interface EndOfDayAnswer {
  readonly id: string;
  readonly revision: number;
  readonly outcome: string;
}

/**
 * The durable queue of end-of-day paperwork for central (shifts, drawer counts, X/Z reports). A book
 * adds its item in the caller's transaction, beside the change itself; the sync agent sends unsynced
 * rows in order and marks them synced only when central acknowledges that it committed them.
 */
export class EndOfDayOutbox {
  readonly #add: Statement<{
    item_id: string;
    revision: number;
    type: string;
    payload: string;
    created_at: string;
  }>;
  readonly #pending: Statement<
    [number],
    { seq: number; item_id: string; revision: number; type: EndOfDayItemType; payload: string }
  >;
  readonly #markSynced: Statement<[string, string, string, number]>;
  readonly #depth: Statement<[], { depth: number }>;

  constructor(private readonly db: Database) {
    this.#add = db.prepare(
      `INSERT INTO end_of_day_outbox (item_id, revision, type, payload, created_at)
       VALUES (@item_id, @revision, @type, @payload, @created_at)`,
    );
    this.#pending = db.prepare(
      "SELECT seq, item_id, revision, type, payload FROM end_of_day_outbox WHERE synced_at IS NULL ORDER BY seq LIMIT ?",
    );
    this.#markSynced = db.prepare(
      `UPDATE end_of_day_outbox SET synced_at = ?, central_outcome = ?
        WHERE item_id = ? AND revision = ? AND synced_at IS NULL`,
    );
    this.#depth = db.prepare("SELECT count(*) AS depth FROM end_of_day_outbox WHERE synced_at IS NULL");
  }

  /** Queues one item revision. Call inside the transaction that makes the change it describes. */
  add(item: EndOfDayItem, at: string): void {
    this.#add.run({
      item_id: item.id,
      revision: item.revision,
      type: item.type,
      payload: JSON.stringify(item),
      created_at: at,
    });
  }

  /** Up to `limit` unsynced entries, oldest first. */
  pending(limit: number): EndOfDayEntry[] {
    return this.#pending.all(limit).map((row) => ({
      seq: row.seq,
      itemId: row.item_id,
      revision: row.revision,
      type: row.type,
      payload: row.payload,
    }));
  }

  /** Marks what central acknowledged; repeating an ack changes nothing. Returns how many rows moved. */
  markSynced(answers: readonly EndOfDayAnswer[], at: string): number {
    return this.db.transaction(() => {
      let moved = 0;
      for (const answer of answers)
        moved += this.#markSynced.run(at, answer.outcome, answer.id, answer.revision).changes;
      return moved;
    })();
  }

  /** How many item revisions wait for central. */
  depth(): number {
    return this.#depth.get()?.depth ?? 0;
  }
}
