import type { Clock } from "../../core/clock.js";

/**
 * Whether the processor answered lately. After a call finds it unreachable, card payments are refused
 * at once (with a clear message) instead of each waiting for a timeout, until a probe or a call
 * succeeds again.
 */
export class ProcessorAvailability {
  #offlineSince: Date | null = null;

  constructor(private readonly clock: Clock) {}

  get online(): boolean {
    return this.#offlineSince === null;
  }

  get offlineSince(): Date | null {
    return this.#offlineSince;
  }

  markReachable(): void {
    this.#offlineSince = null;
  }

  markUnreachable(): void {
    this.#offlineSince ??= this.clock.now();
  }
}

/**
 * Whether a card can be charged at this kiosk now, apart from whether sync is online: "unavailable"
 * while the processor is unreachable, "not-configured" without an integrated processor (no card
 * processing, or manual authorization codes only).
 */
export type CardPayments = "ready" | "unavailable" | "not-configured";

export function cardPayments(
  cards: { readonly integrated: boolean; readonly availability: ProcessorAvailability } | null,
): CardPayments {
  if (!cards?.integrated) return "not-configured";
  return cards.availability.online ? "ready" : "unavailable";
}
