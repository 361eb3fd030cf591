/**
 * Where a command stands, as operators read it. Central's own part is the `delivery` column
 * (queued → delivered, or queued → expired); the kiosk's part is its results. The kiosk's answer,
 * when there is one, says more than the delivery: it is what happened.
 */

/** The `commands.delivery` column (migration 013). */
export type DeliveryState = "queued" | "delivered" | "expired" | "not-sent";

export const DELIVERY_STATES: readonly DeliveryState[] = ["queued", "delivered", "expired", "not-sent"];

export function isDeliveryState(value: string): value is DeliveryState {
  return (DELIVERY_STATES as readonly string[]).includes(value);
}

export interface CommandFacts {
  readonly delivery: DeliveryState;
  readonly issuedAt: string | null;
  readonly expiresAt: string | null;
  readonly deliveredAt: string | null;
  readonly expiredAt: string | null;
  /** Publications tried; a queued command with attempts was refused by the broker (or it timed out). */
  readonly attempts: number;
  /** What the kiosk reported, oldest first. */
  readonly results: readonly {
    readonly outcome: string;
    readonly code: string | null;
    readonly detail: string | null;
    readonly at: string | null;
  }[];
}

export type CommandStatus =
  /** Waits for its kiosk (offline, or the broker did not take it); published when it can be. */
  | { kind: "queued"; since: string | null; until: string | null; brokerRefused: boolean }
  /** The broker took it while the kiosk was online; the kiosk has not answered yet. */
  | { kind: "delivered"; at: string | null; until: string | null }
  /** Delivered, and no answer came before it expired (the kiosk may have gone in between). */
  | { kind: "no-answer"; at: string | null }
  /** The kiosk ran it. */
  | { kind: "applied"; at: string | null }
  /** The kiosk took it and works on it (an update: its end comes after the restart). */
  | { kind: "accepted"; at: string | null }
  /** The kiosk refused it (expired, replayed, badly signed...), with its code. */
  | { kind: "refused"; at: string | null; code: string | null; detail: string | null }
  /** The kiosk ran it and it failed, with its code. */
  | { kind: "failed"; at: string | null; code: string | null; detail: string | null }
  /** Its expiry passed before it could be delivered: it was never published after that. */
  | { kind: "expired"; at: string | null }
  /** From before commands waited: it did not go out. */
  | { kind: "not-sent" };

const passed = (instant: string | null, now: Date): boolean =>
  instant !== null && Date.parse(instant) <= now.getTime();

/** The kiosk's refusal of a second copy: says nothing about the first, which it ran or refused. */
const REPLAYED = "REMOTE_COMMAND_REPLAYED";

export function commandStatus(command: CommandFacts, now: Date): CommandStatus {
  // A copy published twice (a claim that ran out mid-publication) is refused as a replay; the
  // kiosk's answer to the first copy is the one that says what happened.
  const answers = command.results.some((result) => result.code !== REPLAYED)
    ? command.results.filter((result) => result.code !== REPLAYED)
    : command.results;
  const last = answers[answers.length - 1];
  if (last) {
    switch (last.outcome) {
      case "completed":
        return { kind: "applied", at: last.at };
      case "accepted":
        return { kind: "accepted", at: last.at };
      case "rejected":
        return { kind: "refused", at: last.at, code: last.code, detail: last.detail };
      default:
        return { kind: "failed", at: last.at, code: last.code, detail: last.detail };
    }
  }
  switch (command.delivery) {
    case "queued":
      // The courier never publishes a command past its expiry; the row says so within seconds.
      if (passed(command.expiresAt, now)) return { kind: "expired", at: command.expiresAt };
      return {
        kind: "queued",
        since: command.issuedAt,
        until: command.expiresAt,
        brokerRefused: command.attempts > 0,
      };
    case "delivered":
      return passed(command.expiresAt, now)
        ? { kind: "no-answer", at: command.expiresAt }
        : { kind: "delivered", at: command.deliveredAt, until: command.expiresAt };
    case "expired":
      return { kind: "expired", at: command.expiredAt ?? command.expiresAt };
    case "not-sent":
      return { kind: "not-sent" };
  }
}

/** Whether its page should keep reloading: something is still to come, before the expiry. */
export function statusMayChange(command: CommandFacts, now: Date): boolean {
  const status = commandStatus(command, now);
  return (
    status.kind === "queued" ||
    status.kind === "delivered" ||
    (status.kind === "accepted" && !passed(command.expiresAt, now))
  );
}
