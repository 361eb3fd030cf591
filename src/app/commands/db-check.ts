import { openDatabase } from "../../store/database.js";
import { checkIntegrity } from "../../store/integrity.js";
import { schemaVersion } from "../../store/migrate.js";
import type { Output } from "../output.js";

/** `db check`: SQLite integrity, the audit chain, and records against their audit rows. Read-only. */
export function dbCheck(path: string, output: Output): number {
  const db = openDatabase(path, { readonly: true });
  try {
    const report = checkIntegrity(db);
    const summary = `${path}: schema ${schemaVersion(db)}, ${report.records} records, ${report.auditEntries} audit entries`;
    if (report.ok) {
      output.out(`${summary}: ok`);
      return 0;
    }
    output.err(`${summary}: ${report.problems.length} problem(s)`);
    for (const problem of report.problems) output.err(`  ${problem}`);
    return 1;
  } finally {
    db.close();
  }
}
