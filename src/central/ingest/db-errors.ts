/** How a failed transaction should be handled, from the error's SQLSTATE (pg and PGlite both set it). */
export type FailureKind = "retry-now" | "bad-data" | "unavailable";

export function failureKind(error: unknown): FailureKind {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return "unavailable";
  // Serialization failure, deadlock: the same work will go through when tried again.
  if (code === "40001" || code === "40P01") return "retry-now";
  // Data exceptions (22: a NUL in a string, a date out of range...), integrity (23), syntax or
  // access (42): the content is at fault, so trying it again alone isolates the culprit.
  if (/^(22|23|42)/.test(code)) return "bad-data";
  return "unavailable";
}
