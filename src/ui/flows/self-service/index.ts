export type { ChargeResult, SelfServiceEffect, SelfServiceEvent } from "./events.js";
export { collecting, selfServiceReducer, waitsForSwipe } from "./reducer.js";
export { selfServiceIdleExempt, selfServiceScreen } from "./screen-of.js";
export type { SelfServiceScreen, SelfServiceScreenName } from "./screens.js";
export { ATTRACT, type SelfServiceSettings, type SelfServiceState } from "./state.js";
