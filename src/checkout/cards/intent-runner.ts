import type { IntentState } from "../../payments/card-intent/card-intent.js";
import type {
  AttentionReason,
  IntentEffect,
  IntentEvent,
  ProcessorCall,
} from "../../payments/card-intent/intent-events.js";
import type { PaymentRecord } from "../../payments/payment-record.js";
import type { Ledger, StoredEffectWriter } from "../ledger.js";

/** What the code running one intent supplies: its processor calls (answered as events) and its writes. */
export interface IntentHands {
  /** Makes the intent's processor call with its key, and says what came of it. */
  call(call: ProcessorCall): Promise<IntentEvent>;
  /** Asks the processor what it made with the intent's key. */
  lookUp(what: "charge" | "refund"): Promise<IntentEvent>;
  /** The writes that go with an answer besides the record, inside its transaction. */
  readonly writeAlongside?: StoredEffectWriter;
  /** Forgets a swiped card number held in memory. */
  wipeCard?(): void;
  askPerson(why: AttentionReason, code: string | null): void;
}

/** Where an intent is to be run from: its key, its record, its state and the effects still to run. */
export interface IntentStart {
  readonly key: string;
  readonly record: PaymentRecord;
  readonly state: IntentState;
  readonly effects: readonly IntentEffect[];
}

/** Where the run left the intent and its record. */
export interface IntentRun {
  readonly record: PaymentRecord;
  readonly state: IntentState;
}

/**
 * Runs an intent's effects in order until none is left: each processor call or look-up comes back as
 * an event, which the ledger settles through the card-intent machine (writing the intent's state,
 * the record's revision and the writes alongside in one transaction), and the new effects join the
 * queue. The writes in a transition's effects are already done when they reach here.
 */
export async function runIntent(
  ledger: Pick<Ledger, "settle">,
  start: IntentStart,
  actor: string,
  hands: IntentHands,
): Promise<IntentRun> {
  let run: IntentRun = { record: start.record, state: start.state };
  const queue = [...start.effects];
  for (let effect = queue.shift(); effect !== undefined; effect = queue.shift()) {
    const event = await perform(effect, hands);
    if (event === null) continue;
    const settled = ledger.settle(start.key, event, actor, hands.writeAlongside);
    run = { record: settled.record, state: settled.intent.state };
    queue.push(...settled.effects);
  }
  return run;
}

async function perform(effect: IntentEffect, hands: IntentHands): Promise<IntentEvent | null> {
  switch (effect.kind) {
    case "call-processor":
      return hands.call(effect.call);
    case "look-up":
      return hands.lookUp(effect.what);
    case "wipe-card":
      hands.wipeCard?.();
      return null;
    case "ask-person":
      hands.askPerson(effect.why, effect.code);
      return null;
    case "revise-record":
    case "save-card":
    case "store-offline":
    case "wipe-stored-card":
    case "note-attempt":
      return null; // written with the intent's state
  }
}
