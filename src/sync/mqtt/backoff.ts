export interface BackoffPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * The wait before reconnect attempt number `failures` (0 after the first failure): exponential,
 * capped, with "equal jitter" — half the window fixed, half random — so a fleet that lost its broker
 * at the same moment does not come back in one wave, and no kiosk retries in a tight loop.
 */
export function backoffDelay(
  failures: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const window = Math.min(
    policy.maxDelayMs,
    policy.initialDelayMs * 2 ** Math.min(Math.max(failures, 0), 30),
  );
  return Math.round(window / 2 + random() * (window / 2));
}
