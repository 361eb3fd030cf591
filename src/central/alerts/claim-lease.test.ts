import { describe, expect, it } from "vitest";
import { claimLeaseMs, emailWorstCaseMs, webhookWorstCaseMs } from "./claim-lease.js";

describe("the claim lease on an alert notification", () => {
  it("adds every attempt's timeouts and the pauses between them", () => {
    // 3 attempts of 5 s, pauses of 1 s and 2 s.
    expect(webhookWorstCaseMs({ attempts: 3, timeoutMs: 5000 })).toBe(18_000);
    // Pauses double up to 30 s: 1, 2, 4, 8, 16, 30, 30, 30, 30.
    expect(webhookWorstCaseMs({ attempts: 10, timeoutMs: 60_000 })).toBe(600_000 + 151_000);
    expect(webhookWorstCaseMs({ attempts: 2, timeoutMs: 1000, pauseMs: () => 10 })).toBe(2010);
    // Connection, greeting and socket each bounded by the timeout; pauses of 1 s and 2 s.
    expect(emailWorstCaseMs({ attempts: 3, timeoutMs: 20_000 })).toBe(183_000);
  });

  it("is the configured lease unless a send on this process's channels can outlast it", () => {
    expect(claimLeaseMs({ leaseSeconds: 120, email: null, webhook: null })).toBe(120_000);
    expect(claimLeaseMs({ leaseSeconds: 120, email: null, webhook: { attempts: 3, timeoutMs: 5000 } })).toBe(
      120_000,
    );
    // Ten web hook attempts of a minute: held for all of them and the time to record the outcome.
    expect(
      claimLeaseMs({ leaseSeconds: 120, email: null, webhook: { attempts: 10, timeoutMs: 60_000 } }),
    ).toBe(751_000 + 30_000);
    expect(claimLeaseMs({ leaseSeconds: 60, email: { attempts: 3, timeoutMs: 20_000 }, webhook: null })).toBe(
      213_000,
    );
  });
});
