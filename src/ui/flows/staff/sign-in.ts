import { ErrorCodes } from "../../../core/error-codes.js";
import { go, stay, type Transition } from "../transition.js";
import type { StaffEffect, StaffEvent } from "./events.js";
import { typeInto } from "./keypad.js";
import type { SignInThrottle, StaffSetup, StaffState } from "./state.js";
import type { StaffMemberView } from "./views.js";

export const NO_FAILURES: SignInThrottle = { failures: 0, lockedUntil: null };

export function isLockedOut(throttle: SignInThrottle, at: number): boolean {
  return throttle.lockedUntil !== null && at < throttle.lockedUntil;
}

/** One more wrong PIN: at the configured count, sign-in locks for the configured time and the count restarts. */
export function afterWrongPin(
  throttle: SignInThrottle,
  at: number,
  rules: StaffSetup["signIn"],
): SignInThrottle {
  const failures = (isLockedOut(throttle, at) ? 0 : throttle.failures) + 1;
  if (failures >= rules.maxFailedPins) return { failures: 0, lockedUntil: at + rules.lockoutSeconds * 1000 };
  return { failures, lockedUntil: null };
}

type SignInState = Extract<StaffState, { step: "sign-in" }>;
type Result = Transition<StaffState, StaffEffect>;

const MIN_PIN = 4;

export function lockedError(until: number): { code: string; message: string } {
  return {
    code: ErrorCodes.STAFF_SIGN_IN_LOCKED,
    message: `Too many wrong PINs: sign-in is locked until ${new Date(until).toISOString()}.`,
  };
}

/**
 * The PIN keypad. The flow never sees a hash: it asks the server to check the PIN (verify-pin) and
 * hears back who it belongs to, or nobody. The PIN is cleared from the state as soon as it is sent.
 */
export function signInStep(
  state: SignInState,
  event: StaffEvent,
  signedIn: (staff: StaffMemberView) => Result,
): Result {
  if (event.type === "lock-changed") return go({ ...state, kioskLocked: event.locked });
  if (event.type === "day-changed") return go({ ...state, today: event.today });
  if (event.type === "pin-checked") {
    if (!state.checking) return stay(state);
    if (event.staff) return signedIn(event.staff);
    const throttle = afterWrongPin(state.throttle, event.at, state.setup.signIn);
    const error =
      throttle.lockedUntil !== null
        ? lockedError(throttle.lockedUntil)
        : {
            code: ErrorCodes.STAFF_PIN_WRONG,
            message: `That PIN is not right (${throttle.failures} of ${state.setup.signIn.maxFailedPins} tries).`,
          };
    return go({ ...state, checking: false, throttle, error });
  }
  if (event.type !== "touch" || state.checking) return stay(state);
  switch (event.action) {
    case "key":
    case "backspace":
    case "clear":
      if (isLockedOut(state.throttle, event.at)) return stay(state);
      return go({ ...state, pin: typeInto("pin", state.pin, event.action, event.value), error: null });
    case "submit": {
      if (isLockedOut(state.throttle, event.at)) {
        return go({ ...state, pin: "", error: lockedError(state.throttle.lockedUntil ?? event.at) });
      }
      if (state.pin.length < MIN_PIN) {
        return go({
          ...state,
          error: { code: ErrorCodes.STAFF_PIN_INVALID, message: "A PIN is 4 to 8 digits." },
        });
      }
      return go({ ...state, pin: "", checking: true, error: null }, { type: "verify-pin", pin: state.pin });
    }
    case "leave":
      return go({ ...state, pin: "" }, { type: "leave-staff" });
    default:
      return stay(state);
  }
}
