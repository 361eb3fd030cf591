/**
 * How many times each kiosk asked within the last hour: a kiosk over its allowance is refused until
 * its oldest request is an hour old. Kept in memory (a restart forgives), bounded by the fleet's size.
 */
export class KioskRate {
  readonly #asked = new Map<string, number[]>();

  constructor(private readonly perHour: number) {}

  /** Counts one request of `deviceId` at `nowMs`; false (not counted) when it is over the allowance. */
  take(deviceId: string, nowMs: number): boolean {
    const since = nowMs - 3_600_000;
    const recent = (this.#asked.get(deviceId) ?? []).filter((at) => at > since);
    if (recent.length >= this.perHour) {
      this.#asked.set(deviceId, recent);
      return false;
    }
    recent.push(nowMs);
    this.#asked.set(deviceId, recent);
    return true;
  }
}
