import type { Database, Statement } from "better-sqlite3";
import { canonicalJson } from "../core/canonical-json.js";
import { sha256 } from "../core/hash.js";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditEntry {
  readonly at: string;
  readonly deviceId: string;
  /** A staff id, "client" for self-service, "system" or "central". */
  readonly actor: string | null;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string;
  readonly details: Readonly<Record<string, unknown>>;
}

interface AuditRow {
  seq: number;
  at: string;
  device_id: string;
  actor: string | null;
  action: string;
  entity: string;
  entity_id: string;
  details: string;
  prev_hash: string;
  hash: string;
}

function rowHash(prevHash: string, row: Omit<AuditRow, "prev_hash" | "hash">): string {
  return sha256(
    // Every element is a primitive (details is already canonical JSON), so plain JSON is canonical.
    `${prevHash}\n${JSON.stringify([row.seq, row.at, row.device_id, row.actor, row.action, row.entity, row.entity_id, row.details])}`,
  );
}

/** Appends to the hash chain. Call inside the transaction that makes the change it describes. */
export class AuditLog {
  readonly #head: Statement<[], { seq: number; hash: string }>;
  readonly #insert: Statement<AuditRow>;
  readonly #moveHead: Statement<{ seq: number; hash: string }>;

  constructor(db: Database) {
    this.#head = db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
    this.#insert = db.prepare(
      `INSERT INTO audit_log (seq, at, device_id, actor, action, entity, entity_id, details, prev_hash, hash)
       VALUES (@seq, @at, @device_id, @actor, @action, @entity, @entity_id, @details, @prev_hash, @hash)`,
    );
    this.#moveHead = db.prepare(
      "INSERT INTO audit_head (id, seq, hash) VALUES (1, @seq, @hash) ON CONFLICT(id) DO UPDATE SET seq = @seq, hash = @hash",
    );
  }

  append(entry: AuditEntry): void {
    const head = this.#head.get() ?? { seq: 0, hash: GENESIS_HASH };
    const row = {
      seq: head.seq + 1,
      at: entry.at,
      device_id: entry.deviceId,
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      details: canonicalJson(entry.details),
    };
    const hash = rowHash(head.hash, row);
    this.#insert.run({ ...row, prev_hash: head.hash, hash });
    this.#moveHead.run({ seq: row.seq, hash });
  }
}

export interface ChainReport {
  readonly entries: number;
  readonly problems: readonly string[];
}

/** Walks the whole chain: every row's hash, every link, no gap in seq, and the head at the last row. */
export function verifyAuditChain(db: Database): ChainReport {
  const problems: string[] = [];
  let previous = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of db
    .prepare("SELECT * FROM audit_log ORDER BY seq")
    .iterate() as IterableIterator<AuditRow>) {
    entries += 1;
    if (problems.length >= 20) continue;
    if (row.seq !== expectedSeq) problems.push(`audit row ${expectedSeq} is missing (next is ${row.seq})`);
    if (row.prev_hash !== previous) problems.push(`audit row ${row.seq} does not link to the row before it`);
    if (rowHash(row.prev_hash, row) !== row.hash)
      problems.push(`audit row ${row.seq} was changed after it was written`);
    previous = row.hash;
    expectedSeq = row.seq + 1;
  }
  const head = db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1").get() as
    | { seq: number; hash: string }
    | undefined;
  const headSeq = head?.seq ?? 0;
  if (headSeq !== expectedSeq - 1 || (head?.hash ?? GENESIS_HASH) !== previous) {
    problems.push(
      `the audit log ends at row ${expectedSeq - 1} but its head says ${headSeq}: rows were removed`,
    );
  }
  return { entries, problems };
}
