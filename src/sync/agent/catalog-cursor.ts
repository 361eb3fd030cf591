import type { Database, Statement } from "better-sqlite3";

const KEY = "catalog.cursor";

/**
 * How far the kiosk's invoice cache has caught up with central's catalog (central's change number).
 * Written in the transaction that applies a page, so the cache and the cursor never disagree.
 */
export class CatalogCursor {
  readonly #get: Statement<[string], { value: string }>;
  readonly #set: Statement<[string, string, string]>;

  constructor(db: Database) {
    this.#get = db.prepare("SELECT value FROM sync_state WHERE key = ?");
    this.#set = db.prepare(
      "INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    );
  }

  get(): number {
    const row = this.#get.get(KEY);
    const value = row ? Number(row.value) : 0;
    return Number.isSafeInteger(value) && value >= 0 ? value : 0;
  }

  set(cursor: number, at: string): void {
    this.#set.run(KEY, String(cursor), at);
  }
}
