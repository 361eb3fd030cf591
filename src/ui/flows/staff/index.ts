export type { StaffEffect, StaffEvent } from "./events.js";
export { type PaymentFormView, type StaffScreen, type StaffScreenName, staffScreenOf } from "./screens.js";
export { afterWrongPin, isLockedOut, NO_FAILURES } from "./sign-in.js";
export { type StaffStart, staffFlow, startStaff } from "./staff-flow.js";
export type { MethodChoice, SignInThrottle, StaffSetup, StaffState } from "./state.js";
export type * from "./views.js";
