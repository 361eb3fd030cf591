import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";
import { type RolloutKiosk, stageOf } from "../fleet/rollout-queries.js";

/**
 * Which kiosks an update goes to: `kiosks` is "all" or ids separated by spaces or commas, each may
 * end in `*` for every id that starts so (a group: "kiosk-lakeside-*"). Only kiosks not yet asked
 * (or whose command never left central) are chosen; `first` > 0 takes that many of them (a staged
 * rollout: a few first, then the rest). When a chosen group already has a kiosk that failed this
 * release (rolled back), nothing more is sent: someone looks at it first.
 */
export function chooseRolloutTargets(
  fleet: readonly RolloutKiosk[],
  version: string,
  kiosks: string,
  first: number,
): RolloutKiosk[] {
  const patterns = kiosks
    .split(/[\s,]+/)
    .map((pattern) => pattern.trim())
    .filter(Boolean);
  if (patterns.length === 0 || patterns.length > 200) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_FORM_INVALID,
      'Name the kiosks: "all", ids, or a prefix with * (up to 200).',
    );
  }
  const matches = (deviceId: string): boolean =>
    patterns.some((pattern) =>
      pattern === "all"
        ? true
        : pattern.endsWith("*")
          ? deviceId.startsWith(pattern.slice(0, -1))
          : deviceId === pattern,
    );
  const group = fleet.filter((kiosk) => matches(kiosk.deviceId));
  if (group.length === 0)
    throw new KioskError(ErrorCodes.DASHBOARD_KIOSK_UNKNOWN, `No kiosk matches "${kiosks.slice(0, 80)}".`);
  const failed = group.filter((kiosk) => stageOf(kiosk, version) === "failed");
  if (failed.length > 0) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_COMMAND_INVALID,
      `${failed.map((kiosk) => kiosk.deviceId).join(", ")} did not take ${version} (rolled back or refused): look at ${failed.length === 1 ? "it" : "them"} before sending it to more kiosks.`,
    );
  }
  const waiting = group.filter((kiosk) => ["not-asked", "not-sent"].includes(stageOf(kiosk, version)));
  return first > 0 ? waiting.slice(0, first) : waiting;
}
