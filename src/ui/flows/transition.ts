export interface Transition<S, E> {
  readonly state: S;
  readonly effects: readonly E[];
}
