import { describe, expect, it } from "vitest";
import { expectKioskError } from "../../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import type { RolloutKiosk } from "../fleet/rollout-queries.js";
import { chooseRolloutTargets } from "./rollout.js";

const kiosk = (deviceId: string, change: Partial<RolloutKiosk> = {}): RolloutKiosk => ({
  deviceId,
  state: "online",
  runs: "1.0.0",
  reportedAt: null,
  commandId: null,
  delivery: null,
  issuedAt: null,
  expiresAt: null,
  outcome: null,
  code: null,
  ...change,
});
const ids = (kiosks: readonly RolloutKiosk[]) => kiosks.map((entry) => entry.deviceId);

describe("which kiosks an update goes to", () => {
  const fleet = [
    kiosk("lake-01", { commandId: "c1", delivery: "delivered", outcome: "completed" }),
    kiosk("lake-02", { commandId: "c2", delivery: "expired" }),
    kiosk("lake-06", { commandId: "c6", delivery: "queued" }),
    kiosk("lake-03"),
    kiosk("lake-04", { runs: "2.0.0" }),
    kiosk("hill-01"),
  ];

  it("a group by prefix, without those updated, on the version already, or with a command under way or queued", () => {
    expect(ids(chooseRolloutTargets(fleet, "2.0.0", "lake-*", 0))).toEqual(["lake-02", "lake-03"]);
    expect(ids(chooseRolloutTargets(fleet, "2.0.0", "all", 0))).toEqual(["lake-02", "lake-03", "hill-01"]);
    expect(ids(chooseRolloutTargets(fleet, "2.0.0", "hill-01, lake-03", 0))).toEqual(["lake-03", "hill-01"]);
  });

  it("a first stage of N, then the rest", () => {
    expect(ids(chooseRolloutTargets(fleet, "2.0.0", "all", 1))).toEqual(["lake-02"]);
  });

  it("stops at a kiosk that failed the release, and refuses a group that matches nothing", () => {
    const failed = [
      ...fleet,
      kiosk("lake-05", {
        commandId: "c5",
        delivery: "delivered",
        outcome: "failed",
        code: "RELEASE_NOT_HEALTHY",
      }),
    ];
    const error = expectKioskError(
      () => chooseRolloutTargets(failed, "2.0.0", "lake-*", 0),
      ErrorCodes.DASHBOARD_COMMAND_INVALID,
    );
    expect(error.message).toContain("lake-05");
    expect(ids(chooseRolloutTargets(failed, "2.0.0", "hill-*", 0))).toEqual(["hill-01"]);
    expectKioskError(
      () => chooseRolloutTargets(fleet, "2.0.0", "pond-*", 0),
      ErrorCodes.DASHBOARD_KIOSK_UNKNOWN,
    );
    expectKioskError(() => chooseRolloutTargets(fleet, "2.0.0", "  ", 0), ErrorCodes.DASHBOARD_FORM_INVALID);
  });
});
