import type fc from "fast-check";
import { expect } from "vitest";
import type { StoredEffectWriter } from "../../../src/checkout/ledger.js";
import { ErrorCodes } from "../../../src/core/error-codes.js";
import { isKioskError } from "../../../src/core/kiosk-error.js";
import { parseMaskedPan } from "../../../src/payments/card/masked-pan.js";
import type { IntentEvent } from "../../../src/payments/card-intent/intent-events.js";
import type { Charge, RefundResult } from "../../../src/payments/card-processor.js";
import { checkKiosk } from "./invariants.js";
import type { KioskUnderTest } from "./kiosk-under-test.js";
import {
  chargeKeyOf,
  collectionFailed,
  complete,
  DECLINED,
  decline,
  EXPIRED,
  type Model,
  type ModelIntent,
  type ModelRecord,
  OFFLINE_POLICY,
  settle,
  UNAVAILABLE,
} from "./model.js";

export const LATE_KINDS = [
  "charged",
  "refunded",
  "void-accepted",
  "declined",
  "found-nothing",
  "reconcile",
  "forward",
] as const;
export type LateKind = (typeof LATE_KINDS)[number];

/**
 * What an intent may still take, from the specification: only open intents take answers, a sale
 * stored offline takes its forward's answer, and done or failed intents take nothing at all.
 */
const TAKES: Record<string, readonly LateKind[]> = {
  "sale open": ["charged", "declined", "found-nothing", "reconcile"],
  "collect open": ["charged", "declined", "found-nothing", "reconcile"],
  "refund open": ["refunded", "declined", "found-nothing", "reconcile"],
  "void open": ["void-accepted", "declined", "reconcile"],
  "sale deferred": ["charged", "declined", "forward"],
};

const takes = (intent: ModelIntent, kind: LateKind): boolean =>
  TAKES[`${intent.operation} ${intent.phase}`]?.includes(kind) ?? false;

/** Whether the answer is what the processor really did, so a legal one keeps the other checks true. */
function isTrue(model: Model, record: ModelRecord, intent: ModelIntent, kind: LateKind): boolean {
  const made = intent.operation === "refund" ? model.refunds.has(intent.key) : model.charges.has(intent.key);
  switch (kind) {
    case "charged":
    case "refunded":
      return made;
    case "declined":
    case "found-nothing":
      return intent.operation === "void" || !made;
    case "void-accepted":
      return model.charges.get(chargeKeyOf(record) ?? "")?.voided === true;
    case "reconcile":
    case "forward":
      return true;
  }
}

const HOUR = 3_600_000;

/**
 * An answer that arrives for an intent at any moment — late, twice, or out of place — delivered
 * straight to the ledger as the processor's answer would be. An intent that does not take it must
 * refuse it with CARD_INTENT_EVENT_REFUSED and change nothing; one that does moves as specified.
 */
export class LateAnswer implements fc.AsyncCommand<Model, KioskUnderTest> {
  constructor(
    readonly pick: number,
    readonly kind: LateKind,
  ) {}

  #target(model: Readonly<Model>): { record: ModelRecord; intent: ModelIntent } | undefined {
    const all = model.records.flatMap((record) => record.intents.map((intent) => ({ record, intent })));
    return all[this.pick % Math.max(all.length, 1)];
  }

  check(model: Readonly<Model>): boolean {
    const target = this.#target(model);
    if (!model.up || !target) return false;
    return (
      !takes(target.intent, this.kind) || isTrue(model as Model, target.record, target.intent, this.kind)
    );
  }

  async run(model: Model, kiosk: KioskUnderTest): Promise<void> {
    const { record, intent } = this.#target(model) as { record: ModelRecord; intent: ModelIntent };
    const event = await this.#event(kiosk, intent, record);
    const store = kiosk.store;
    const writeAlongside: StoredEffectWriter = (effect, at) => {
      if (effect.kind === "save-card") store.savedCards.save(effect.clientId, effect.card, at);
      if (effect.kind === "wipe-stored-card")
        store.offlineCards.forwarded(effect.recordId, effect.outcome, at);
      if (effect.kind === "note-attempt") {
        store.collections.add({
          recordId: effect.recordId,
          attempt: effect.attempt,
          at,
          outcome: effect.outcome,
          nextTryAt: null,
        });
      }
      if (effect.kind === "store-offline") throw new Error("a late answer never stores a card");
    };
    let refusal: unknown = null;
    try {
      store.ledger.settle(intent.key, event, "system", writeAlongside);
    } catch (error) {
      refusal = error;
    }
    if (!takes(intent, this.kind)) {
      expect(isKioskError(refusal, ErrorCodes.CARD_INTENT_EVENT_REFUSED), `${this} must be refused`).toBe(
        true,
      );
    } else {
      expect(refusal).toBeNull();
      this.#apply(model, record, intent);
    }
    checkKiosk(model, kiosk);
  }

  #apply(model: Model, record: ModelRecord, intent: ModelIntent): void {
    const collecting = intent.operation === "collect";
    switch (this.kind) {
      case "charged":
      case "refunded":
        complete(record, intent);
        if (collecting) record.attempts += 1;
        return;
      case "void-accepted":
        settle(intent, "done", "voided");
        return;
      case "declined":
        if (intent.operation === "void") return; // a refused void stays open, to be sent again
        if (collecting) collectionFailed(record, intent, DECLINED);
        else decline(record, intent, DECLINED);
        return;
      case "found-nothing":
        if (collecting) collectionFailed(record, intent, UNAVAILABLE);
        else decline(record, intent, UNAVAILABLE);
        return;
      case "forward":
        if ((model.now - (record.storedAt ?? model.now)) / HOUR > OFFLINE_POLICY.maxAgeHours) {
          decline(record, intent, EXPIRED);
        }
        return;
      case "reconcile":
        return;
    }
  }

  async #event(kiosk: KioskUnderTest, intent: ModelIntent, record: ModelRecord): Promise<IntentEvent> {
    switch (this.kind) {
      case "charged":
        return {
          type: "charged",
          charge: (await kiosk.realProcessor.lookup(intent.key)) ?? fabricatedCharge(intent.key),
          during: "payment",
        };
      case "refunded":
        return {
          type: "refunded",
          refund: (await kiosk.realProcessor.lookupRefund(intent.key)) ?? fabricatedRefund(),
          during: "payment",
        };
      case "void-accepted":
        return { type: "void-accepted", during: "payment" };
      case "declined":
        return { type: "declined", code: DECLINED };
      case "found-nothing":
        return { type: "found-nothing", during: "payment" };
      case "reconcile":
        return { type: "reconcile" };
      case "forward":
        return {
          type: "forward",
          now: new Date(kiosk.clock.now()).toISOString(),
          storedAt: new Date(record.storedAt ?? kiosk.clock.now().getTime()).toISOString(),
          maxAgeHours: OFFLINE_POLICY.maxAgeHours,
        };
    }
  }

  toString(): string {
    return `LateAnswer(#${this.pick}, ${this.kind})`;
  }
}

/** For answers that must be refused: what a confused processor might send. */
const fabricatedCharge = (key: string): Charge => ({
  chargeId: "ch_never_made",
  amount: { minor: 1, currency: "USD" },
  authorizationCode: "NOPE01",
  card: { brand: "Visa", maskedPan: parseMaskedPan("424242******4242"), last4: "4242", expiry: null },
  token: null,
  idempotencyKey: key,
});

const fabricatedRefund = (): RefundResult => ({
  refundId: "re_never_made",
  chargeId: "ch_never_made",
  amount: { minor: 1, currency: "USD" },
});
