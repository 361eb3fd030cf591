/**
 * What a flow's reducer returns: the next state and the effects the server runs for it (lookups,
 * charges, printing, timers). Reducers stay pure: no I/O, no clock reads; results come back as events.
 */
export interface Transition<S, E> {
  readonly state: S;
  readonly effects: readonly E[];
}

export function stay<S, E>(state: S): Transition<S, E> {
  return { state, effects: [] };
}

export function go<S, E>(state: S, ...effects: E[]): Transition<S, E> {
  return { state, effects };
}
