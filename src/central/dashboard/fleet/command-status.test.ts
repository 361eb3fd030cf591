import { describe, expect, it } from "vitest";
import { type CommandFacts, commandStatus, statusMayChange } from "./command-status.js";

const NOW = new Date("2026-12-03T10:00:00.000Z");
const facts = (change: Partial<CommandFacts> = {}): CommandFacts => ({
  delivery: "queued",
  issuedAt: "2026-12-03T09:58:00.000Z",
  expiresAt: "2026-12-03T10:03:00.000Z",
  deliveredAt: null,
  expiredAt: null,
  attempts: 0,
  results: [],
  ...change,
});
const result = (outcome: string, code: string | null = null, detail: string | null = null) => ({
  outcome,
  code,
  detail,
  at: "2026-12-03T09:59:30.000Z",
});

describe("a command's status", () => {
  it("queued: waits for its kiosk until its expiry, and says when the broker did not take it", () => {
    expect(commandStatus(facts(), NOW)).toEqual({
      kind: "queued",
      since: "2026-12-03T09:58:00.000Z",
      until: "2026-12-03T10:03:00.000Z",
      brokerRefused: false,
    });
    expect(commandStatus(facts({ attempts: 1 }), NOW)).toMatchObject({ kind: "queued", brokerRefused: true });
    expect(statusMayChange(facts(), NOW)).toBe(true);
  });

  it("queued past its expiry reads expired before the courier has marked it (it is never sent)", () => {
    const overdue = facts({ expiresAt: "2026-12-03T09:59:59.000Z" });
    expect(commandStatus(overdue, NOW)).toEqual({ kind: "expired", at: "2026-12-03T09:59:59.000Z" });
    expect(statusMayChange(overdue, NOW)).toBe(false);
  });

  it("expired: when the courier marked it", () => {
    expect(commandStatus(facts({ delivery: "expired", expiredAt: "2026-12-03T10:03:01.000Z" }), NOW)).toEqual(
      { kind: "expired", at: "2026-12-03T10:03:01.000Z" },
    );
  });

  it("delivered: waits for the kiosk's answer, then 'no answer' once it has expired", () => {
    const delivered = facts({ delivery: "delivered", deliveredAt: "2026-12-03T09:59:00.000Z" });
    expect(commandStatus(delivered, NOW)).toEqual({
      kind: "delivered",
      at: "2026-12-03T09:59:00.000Z",
      until: "2026-12-03T10:03:00.000Z",
    });
    expect(statusMayChange(delivered, NOW)).toBe(true);
    const later = new Date("2026-12-03T10:05:00.000Z");
    expect(commandStatus(delivered, later)).toEqual({ kind: "no-answer", at: "2026-12-03T10:03:00.000Z" });
    expect(statusMayChange(delivered, later)).toBe(false);
  });

  it("the kiosk's answer decides: applied, accepted, refused or failed with its code", () => {
    const delivered = { delivery: "delivered" as const, deliveredAt: "2026-12-03T09:59:00.000Z" };
    expect(commandStatus(facts({ ...delivered, results: [result("completed")] }), NOW)).toEqual({
      kind: "applied",
      at: "2026-12-03T09:59:30.000Z",
    });
    const refused = facts({
      ...delivered,
      results: [result("rejected", "REMOTE_COMMAND_EXPIRED", "This command has expired.")],
    });
    expect(commandStatus(refused, NOW)).toEqual({
      kind: "refused",
      at: "2026-12-03T09:59:30.000Z",
      code: "REMOTE_COMMAND_EXPIRED",
      detail: "This command has expired.",
    });
    expect(statusMayChange(refused, NOW)).toBe(false);
    expect(
      commandStatus(facts({ ...delivered, results: [result("failed", "REMOTE_COMMAND_FAILED")] }), NOW),
    ).toMatchObject({ kind: "failed", code: "REMOTE_COMMAND_FAILED" });
    // An update is accepted, then completed after the restart: the last answer counts.
    const update = facts({ ...delivered, results: [result("accepted")] });
    expect(commandStatus(update, NOW)).toMatchObject({ kind: "accepted" });
    expect(statusMayChange(update, NOW)).toBe(true);
    expect(
      commandStatus(facts({ ...delivered, results: [result("accepted"), result("completed")] }), NOW),
    ).toMatchObject({ kind: "applied" });
  });

  it("a replay refused after the kiosk's answer to the first copy does not hide that answer", () => {
    const delivered = { delivery: "delivered" as const, deliveredAt: "2026-12-03T09:59:00.000Z" };
    const replayed = result("rejected", "REMOTE_COMMAND_REPLAYED", "This command was already received.");
    expect(
      commandStatus(facts({ ...delivered, results: [result("completed"), replayed] }), NOW),
    ).toMatchObject({ kind: "applied" });
    // Only the replay: all central knows is that the kiosk had it already.
    expect(commandStatus(facts({ ...delivered, results: [replayed] }), NOW)).toMatchObject({
      kind: "refused",
      code: "REMOTE_COMMAND_REPLAYED",
    });
  });

  it("not sent: a command from before commands waited", () => {
    expect(commandStatus(facts({ delivery: "not-sent" }), NOW)).toEqual({ kind: "not-sent" });
    expect(statusMayChange(facts({ delivery: "not-sent" }), NOW)).toBe(false);
  });
});
