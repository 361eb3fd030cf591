/** Hands a result back to the mode that asked, as an event for its flow. */
export type Feed<Event> = (event: Event) => void;

/**
 * What each screen mode runs its flow's effects with (both discriminated on `type`, like their
 * events): it does the work an effect asks for and feeds what came of it back as events. `run` never
 * rejects: a failure is an event too.
 */
export interface EffectRunner<Effect, Event> {
  run(effect: Effect, feed: Feed<Event>): Promise<void>;
  /** The mode was reset or stops: timers and polls for the state that is gone end here. */
  stop(): void;
}
