import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../../core/error-codes.js";
import type { StaffEvent } from "./events.js";
import { staffScreenOf } from "./screens.js";
import { afterWrongPin, NO_FAILURES } from "./sign-in.js";
import { staffFlow, startStaff } from "./staff-flow.js";
import type { StaffState } from "./state.js";
import { MANAGER, SETUP, T0, TODAY } from "./test-setup.test-helpers.js";

const touch = (action: string, value?: string, at = T0): StaffEvent => ({ type: "touch", action, value, at });

function typePin(state: StaffState, pin: string, at = T0): StaffState {
  let next = state;
  for (const digit of pin) next = staffFlow(next, touch("key", digit, at)).state;
  return next;
}

function wrongPin(state: StaffState, at: number): StaffState {
  const submitted = staffFlow(typePin(state, "9999", at), touch("submit", undefined, at));
  expect(submitted.effects).toEqual([{ type: "verify-pin", pin: "9999" }]);
  return staffFlow(submitted.state, { type: "pin-checked", staff: null, at }).state;
}

describe("staff sign-in", () => {
  const start = () => startStaff({ setup: SETUP, today: TODAY, kioskLocked: false });

  it("asks the server to check the PIN, keeps no PIN once sent, and signs in", () => {
    const typed = typePin(start(), "1234");
    expect(staffScreenOf(typed)).toMatchObject({ name: "staff.sign-in", pinLength: 4 });
    const sent = staffFlow(typed, touch("submit"));
    expect(sent.effects).toEqual([{ type: "verify-pin", pin: "1234" }]);
    expect(sent.state.step === "sign-in" && sent.state.pin).toBe("");
    expect(JSON.stringify(staffScreenOf(sent.state))).not.toContain("1234");
    const signed = staffFlow(sent.state, { type: "pin-checked", staff: MANAGER, at: T0 });
    expect(staffScreenOf(signed.state)).toMatchObject({ name: "staff.home", staff: MANAGER });
  });

  it("refuses a PIN shorter than four digits without asking anyone", () => {
    const result = staffFlow(typePin(start(), "12"), touch("submit"));
    expect(result.effects).toEqual([]);
    expect(staffScreenOf(result.state)).toMatchObject({ error: { code: ErrorCodes.STAFF_PIN_INVALID } });
  });

  it("locks sign-in after five wrong PINs for the configured time, then lets staff try again", () => {
    let state: StaffState = start();
    for (let i = 1; i <= 4; i += 1) {
      state = wrongPin(state, T0 + i);
      expect(staffScreenOf(state)).toMatchObject({
        failures: i,
        error: { code: ErrorCodes.STAFF_PIN_WRONG },
      });
    }
    state = wrongPin(state, T0 + 5);
    const lockedUntil = new Date(T0 + 5 + 300_000).toISOString();
    expect(staffScreenOf(state)).toMatchObject({
      lockedUntil,
      error: { code: ErrorCodes.STAFF_SIGN_IN_LOCKED },
    });

    // While locked, even the right PIN is not sent.
    const during = staffFlow(typePin(state, "1234", T0 + 60_000), touch("submit", undefined, T0 + 60_000));
    expect(during.effects).toEqual([]);
    expect(staffScreenOf(during.state)).toMatchObject({
      pinLength: 0,
      error: { code: ErrorCodes.STAFF_SIGN_IN_LOCKED },
    });

    const later = T0 + 5 + 300_000;
    const after = staffFlow(typePin(during.state, "1234", later), touch("submit", undefined, later));
    expect(after.effects).toEqual([{ type: "verify-pin", pin: "1234" }]);
  });

  it("carries a lockout into the next visit", () => {
    const throttle = { failures: 0, lockedUntil: T0 + 1000 };
    const state = startStaff({ setup: SETUP, today: TODAY, kioskLocked: true, throttle });
    expect(staffFlow(typePin(state, "1234"), touch("submit")).effects).toEqual([]);
    expect(staffScreenOf(state)).toMatchObject({ kioskLocked: true });
  });

  it("counts wrong PINs with the configured limit", () => {
    const rules = { maxFailedPins: 2, lockoutSeconds: 10 };
    const once = afterWrongPin(NO_FAILURES, T0, rules);
    expect(once).toEqual({ failures: 1, lockedUntil: null });
    expect(afterWrongPin(once, T0, rules)).toEqual({ failures: 0, lockedUntil: T0 + 10_000 });
  });

  it("leaves staff mode from the keypad and ignores a stray answer", () => {
    expect(staffFlow(start(), touch("leave")).effects).toEqual([{ type: "leave-staff" }]);
    const stray = staffFlow(start(), { type: "pin-checked", staff: MANAGER, at: T0 });
    expect(stray.state.step).toBe("sign-in");
  });
});
