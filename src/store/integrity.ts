import type { Database } from "better-sqlite3";
import { verifyAuditChain } from "./audit-log.js";
import { parseRow, type RecordRow, rowHash } from "./record-rows.js";

export interface IntegrityReport {
  readonly ok: boolean;
  readonly records: number;
  readonly auditEntries: number;
  readonly problems: readonly string[];
}

const MAX_PROBLEMS = 50;

/**
 * What `spectra-kiosk db check` runs: SQLite's own integrity check, the audit hash chain, and that
 * each record is exactly what its last audit row says was written, with an outbox row per revision.
 */
export function checkIntegrity(db: Database): IntegrityReport {
  const problems: string[] = [];
  const integrity = (db.pragma("integrity_check") as { integrity_check: string }[]).map(
    (row) => row.integrity_check,
  );
  if (integrity.length !== 1 || integrity[0] !== "ok")
    problems.push(...integrity.map((line) => `sqlite: ${line}`));

  const chain = verifyAuditChain(db);
  problems.push(...chain.problems);

  const lastAudit = new Map<string, { revision: number; contentHash: string }>();
  const auditRows = db
    .prepare("SELECT entity_id, details FROM audit_log WHERE entity = 'payment_record' ORDER BY seq")
    .iterate() as IterableIterator<{ entity_id: string; details: string }>;
  for (const row of auditRows) lastAudit.set(row.entity_id, JSON.parse(row.details));

  const outboxRevisions = db.prepare(
    "SELECT count(*) AS n FROM outbox WHERE record_id = ? AND revision <= ?",
  );
  let records = 0;
  for (const row of db.prepare("SELECT * FROM payment_records").iterate() as IterableIterator<RecordRow>) {
    records += 1;
    if (problems.length >= MAX_PROBLEMS) continue;
    const audit = lastAudit.get(row.id);
    const hash = rowHash(row);
    try {
      parseRow(row);
    } catch {
      problems.push(`record ${row.id} no longer fits the record schema`);
    }
    if (!audit) problems.push(`record ${row.id} has no audit entry`);
    else if (audit.revision !== row.revision || audit.contentHash !== hash) {
      problems.push(`record ${row.id} differs from what its audit entry says was written`);
    }
    const { n } = outboxRevisions.get(row.id, row.revision) as { n: number };
    if (n !== row.revision)
      problems.push(`record ${row.id} is missing outbox rows (${n} of ${row.revision})`);
  }
  return {
    ok: problems.length === 0,
    records,
    auditEntries: chain.entries,
    problems: problems.slice(0, MAX_PROBLEMS),
  };
}
