import type { GroupActionPart } from "./group-action-queries.js";

/**
 * Where one kiosk's part of a group action stands, in the words of the rows it points at:
 * - `pending`: central has not got to it yet (it is sending to the others);
 * - `refused`: central refused it (the reason is the part's refusal);
 * - for a command, the kiosk's last answer when there is one, else the command's delivery
 *   (`queued`, `delivered`, `expired` … whatever central recorded), or `no-answer` once delivered and expired;
 * - for a configuration, `applied` when the kiosk runs that version (or a later one), `refused-by-kiosk`
 *   when it refused it, else its delivery.
 */
export function partOutcome(part: GroupActionPart, now: Date): string {
  if (part.refusal !== null) return "refused";
  if (part.commandId !== null) {
    if (part.answer) return part.answer.outcome;
    const expired = part.expiresAt !== null && Date.parse(part.expiresAt) <= now.getTime();
    if (part.delivery === "delivered" && expired) return "no-answer";
    return part.delivery ?? "pending";
  }
  if (part.configVersion !== null) {
    if (part.refusedVersion === part.configVersion) return "refused-by-kiosk";
    if (part.runs !== null && part.runs >= part.configVersion) return "applied";
    return part.delivery ?? "pending";
  }
  return "pending";
}

/** Outcomes that no longer change by themselves; any other (a delivery still under way) may. */
const SETTLED = new Set([
  "completed",
  "failed",
  "rejected",
  "refused",
  "refused-by-kiosk",
  "applied",
  "no-answer",
  "expired",
  "not-sent",
  "broker-unreachable",
]);

/** Whether the results page can stop following this outcome. */
export function isSettled(outcome: string): boolean {
  return SETTLED.has(outcome);
}
