/**
 * How a failed transaction is handled, from the error's SQLSTATE (pg and PGlite both set it):
 * - "retry-now": the same work goes through when tried again at once (a few times at most);
 * - "bad-data": something in what was written is at fault — the batch is split to find the one
 *   message or record, which becomes a dead letter (and a `rejected` ack for a record);
 * - "unavailable": the database cannot take anything just now — the batch waits and is tried again
 *   with backoff, unacknowledged, however long that takes. Never a dead letter, never an ack.
 *
 * Only the data decides a rejection (DESIGN.md, invariant 9): a record is refused only for a class
 * whose errors are caused by the values written. Anything else — including every class not listed,
 * and errors without a SQLSTATE (a lost connection, a timeout) — is the database's own trouble, and
 * the kiosk keeps the record.
 */
export type FailureKind = "retry-now" | "bad-data" | "unavailable";

/** SQLSTATE classes caused by the values written: the same values fail the same way every time. */
const DATA_CLASSES: Readonly<Record<string, string>> = {
  // Data exception: a value the column cannot hold — out of range (an integer past 2^31−1), a NUL
  // or an invalid escape in text, an impossible date, a malformed number or JSON.
  "22": "data exception",
  // Integrity constraint violation: a CHECK, NOT NULL, unique or foreign key the values break.
  "23": "integrity constraint violation",
  // Program limit exceeded: a value too large or too deep for the server (an index row over 8 KB,
  // JSON nested past the stack depth limit) — the content's size, not the server's state.
  "54": "program limit exceeded",
};

/** Transient conflicts between transactions: the work itself is fine and goes through on a retry. */
const RETRY_NOW = new Set([
  "40001", // serialization failure
  "40P01", // deadlock detected
]);

/**
 * Classes that are about the database, not the data, listed so the choice is visible (any class not
 * in DATA_CLASSES is unavailability anyway):
 * 08 connection · 25 invalid transaction state (25006 read-only transaction) · 28 authorization ·
 * 3D/3F missing database or schema · 40 other than the two above (40003 completion unknown) ·
 * 42 access rule or syntax: 42501 insufficient privilege, 42P01 undefined table, 42703 undefined
 * column — the values are parameters and never change the SQL, so these come from grants and the
 * schema · 53 insufficient resources (53100 disk full, 53200 out of memory, 53300 too many
 * connections) · 55 object not in prerequisite state (a lock not available) · 57 operator
 * intervention (57P01 admin shutdown, 57014 statement cancelled) · 58 system error (I/O) ·
 * XX internal error · P0 a trigger's RAISE.
 */
export function failureKind(error: unknown): FailureKind {
  // Our own code failing on these values (a TypeError or RangeError while turning them into a
  // statement): the database never saw them, and the same values fail the same way every time.
  if (error instanceof TypeError || error instanceof RangeError) return "bad-data";
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code) || isSystemError(error)) return "unavailable";
  if (RETRY_NOW.has(code)) return "retry-now";
  if (DATA_CLASSES[code.slice(0, 2)] !== undefined) return "bad-data";
  return "unavailable";
}

/** Node's own socket errors (EPIPE is five capitals too) are not SQLSTATEs. */
function isSystemError(error: unknown): boolean {
  return typeof (error as { syscall?: unknown }).syscall === "string";
}
