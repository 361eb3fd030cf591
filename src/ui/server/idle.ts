/** Where the idle countdown stands: nothing yet, a warning with seconds left, or time to clear. */
export type IdlePhase =
  | { readonly kind: "active" }
  | { readonly kind: "warning"; readonly secondsLeft: number }
  | { readonly kind: "expired" };

/** The last part of the idle time shows a countdown: a third of it, at most 15 seconds. */
export function warningSeconds(idleTimeoutSeconds: number): number {
  return Math.min(15, Math.max(1, Math.floor(idleTimeoutSeconds / 3)));
}

export function idlePhase(idleTimeoutSeconds: number, lastActivityMs: number, nowMs: number): IdlePhase {
  const leftMs = idleTimeoutSeconds * 1000 - (nowMs - lastActivityMs);
  if (leftMs <= 0) return { kind: "expired" };
  const secondsLeft = Math.ceil(leftMs / 1000);
  return secondsLeft <= warningSeconds(idleTimeoutSeconds)
    ? { kind: "warning", secondsLeft }
    : { kind: "active" };
}
