import { describe, expect, it } from "vitest";
import { manualCardPayment, take } from "../../../test/helpers/payments.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError } from "../../core/kiosk-error.js";
import { parseMaskedPan } from "../card/masked-pan.js";
import type { Charge } from "../card-processor.js";
import type { PaymentRecord } from "../payment-record.js";
import {
  type CardIntent,
  type IntentOperation,
  type IntentState,
  intentKey,
  isPhaseChangeAllowed,
  stateFromStored,
  storedState,
} from "./card-intent.js";
import type { IntentEffect, IntentEvent } from "./intent-events.js";
import { beginIntent, intentTransition } from "./intent-machine.js";

const charge = (token: string | null = null): Charge => ({
  chargeId: "ch_1",
  amount: { minor: 1_000, currency: "USD" },
  authorizationCode: "A1B2C3",
  card: { brand: "Visa", maskedPan: parseMaskedPan("424242******4242"), last4: "4242", expiry: null },
  token,
  idempotencyKey: "sale:r",
});

const base = take(manualCardPayment(1_000));
const card = base.method.type === "card" ? base.method : null;
if (!card) throw new Error("a card record expected");
const record = (change: Partial<PaymentRecord>): PaymentRecord => ({ ...base, ...change });
const authorizing = record({
  status: "authorizing",
  method: { ...card, entryMode: "swiped", authorizationCode: null },
});
const RECORDS: Record<IntentOperation, PaymentRecord> = {
  sale: authorizing,
  collect: record({ ...authorizing, futurePayment: true }),
  refund: record({ ...authorizing, kind: "refund", refundOf: "paid-1" }),
  void: record({ status: "voided", method: { ...card, processorReference: "ch_1" } }),
};

const intent = (operation: IntentOperation, state: IntentState): CardIntent => ({
  key: intentKey(operation, base.id, operation === "collect" ? 2 : undefined),
  operation,
  recordId: base.id,
  attempt: operation === "collect" ? 2 : null,
  state,
});

const NOW = "2026-11-26T17:00:00.000Z";
/** One of each event, and the variants the machine tells apart. */
const EVENTS: Record<string, IntentEvent> = {
  charged: { type: "charged", charge: charge(), during: "payment" },
  "charged on reconciling": { type: "charged", charge: charge(), during: "reconciliation" },
  refunded: {
    type: "refunded",
    refund: { refundId: "re_1", chargeId: "ch_1", amount: { minor: 1_000, currency: "USD" } },
    during: "payment",
  },
  "void-accepted": { type: "void-accepted", during: "payment" },
  declined: { type: "declined", code: ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS },
  unreachable: { type: "unreachable", storeOffline: false },
  "unreachable, stored": { type: "unreachable", storeOffline: true },
  "answer-lost": { type: "answer-lost" },
  "found-nothing": { type: "found-nothing", during: "payment" },
  "found-nothing on reconciling": { type: "found-nothing", during: "reconciliation" },
  "look-up-failed": { type: "look-up-failed" },
  reconcile: { type: "reconcile" },
  forward: { type: "forward", now: NOW, storedAt: "2026-11-26T16:00:00.000Z", maxAgeHours: 72 },
  "forward, too old": { type: "forward", now: NOW, storedAt: "2026-11-23T16:00:00.000Z", maxAgeHours: 72 },
};

const STATES: Record<string, IntentState> = {
  open: { phase: "open" },
  deferred: { phase: "deferred" },
  done: { phase: "done" },
  declined: { phase: "failed", failure: { reason: "declined", code: ErrorCodes.PROCESSOR_DECLINED } },
  interrupted: { phase: "failed", failure: { reason: "interrupted" } },
};

const declined = (code: string) => `failed:${code}`;
/**
 * Every transition the machine allows, as "operation state + event → next state"; every other
 * combination must be refused. A failed state is written `failed:{its code}`.
 */
const LEGAL: Record<string, string> = {
  "sale open + charged": "done",
  "sale open + charged on reconciling": "done",
  "sale open + declined": declined(ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS),
  "sale open + unreachable": declined(ErrorCodes.PROCESSOR_UNAVAILABLE),
  "sale open + unreachable, stored": "deferred",
  "sale open + answer-lost": "open",
  "sale open + found-nothing": declined(ErrorCodes.PROCESSOR_UNAVAILABLE),
  "sale open + found-nothing on reconciling": declined(ErrorCodes.CARD_PAYMENT_INTERRUPTED),
  "sale open + look-up-failed": "open",
  "sale open + reconcile": "open",
  "sale deferred + forward": "deferred",
  "sale deferred + forward, too old": declined(ErrorCodes.CARD_OFFLINE_EXPIRED),
  "sale deferred + charged": "done",
  "sale deferred + charged on reconciling": "done",
  "sale deferred + declined": declined(ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS),
  "sale deferred + unreachable": "deferred",
  "sale deferred + unreachable, stored": "deferred",
  "sale deferred + answer-lost": "deferred",
  "collect open + charged": "done",
  "collect open + charged on reconciling": "done",
  "collect open + declined": declined(ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS),
  "collect open + unreachable": declined(ErrorCodes.PROCESSOR_UNAVAILABLE),
  "collect open + answer-lost": "open",
  "collect open + found-nothing": declined(ErrorCodes.PROCESSOR_UNAVAILABLE),
  "collect open + found-nothing on reconciling": declined(ErrorCodes.CARD_PAYMENT_INTERRUPTED),
  "collect open + look-up-failed": "open",
  "collect open + reconcile": "open",
  "refund open + refunded": "done",
  "refund open + declined": declined(ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS),
  "refund open + unreachable": declined(ErrorCodes.PROCESSOR_UNAVAILABLE),
  "refund open + answer-lost": "open",
  "refund open + found-nothing": declined(ErrorCodes.PROCESSOR_UNAVAILABLE),
  "refund open + found-nothing on reconciling": declined(ErrorCodes.CARD_PAYMENT_INTERRUPTED),
  "refund open + look-up-failed": "open",
  "refund open + reconcile": "open",
  "void open + void-accepted": "done",
  "void open + declined": "open",
  "void open + unreachable": "open",
  "void open + answer-lost": "open",
  "void open + reconcile": "open",
};

const written = (state: IntentState): string =>
  state.phase === "failed" ? `failed:${storedState("sale", state).outcome}` : state.phase;

const step = (operation: IntentOperation, state: IntentState, event: IntentEvent) =>
  intentTransition(intent(operation, state), RECORDS[operation], event);

const kinds = (effects: readonly IntentEffect[]) => effects.map((effect) => effect.kind);
const revision = (effects: readonly IntentEffect[]) =>
  effects.find((effect) => effect.kind === "revise-record");

describe("the card-intent machine", () => {
  const operations: IntentOperation[] = ["sale", "collect", "refund", "void"];
  for (const operation of operations) {
    for (const [stateName, state] of Object.entries(STATES)) {
      for (const [eventName, event] of Object.entries(EVENTS)) {
        const name = `${operation} ${stateName} + ${eventName}`;
        const expected = LEGAL[name];
        it(`${name} → ${expected ?? "refused"}`, () => {
          if (expected === undefined) {
            let refusal: unknown;
            try {
              step(operation, state, event);
            } catch (error) {
              refusal = error;
            }
            expect(isKioskError(refusal, ErrorCodes.CARD_INTENT_EVENT_REFUSED)).toBe(true);
            return;
          }
          expect(written(step(operation, state, event).state)).toBe(expected);
        });
      }
    }
  }

  it("allows only the listed transitions (the table above names no state it does not try)", () => {
    const tried = new Set<string>();
    for (const operation of operations)
      for (const stateName of Object.keys(STATES))
        for (const eventName of Object.keys(EVENTS)) tried.add(`${operation} ${stateName} + ${eventName}`);
    expect(Object.keys(LEGAL).filter((name) => !tried.has(name))).toEqual([]);
  });

  it("approves a sale with the processor's answer, saves a tokenized card and wipes the swiped number", () => {
    const next = step("sale", STATES.open as IntentState, {
      type: "charged",
      charge: charge("tok_1"),
      during: "payment",
    });
    expect(kinds(next.effects)).toEqual(["revise-record", "save-card", "wipe-card"]);
    expect(revision(next.effects)).toMatchObject({
      action: "record.authorized",
      change: { status: "completed", method: { processorReference: "ch_1", processorToken: "tok_1" } },
    });
    const reconciled = step(
      "sale",
      STATES.open as IntentState,
      EVENTS["charged on reconciling"] as IntentEvent,
    );
    expect(kinds(reconciled.effects)).toEqual(["revise-record"]);
    expect(revision(reconciled.effects)).toMatchObject({ action: "record.reconciled" });
  });

  it("stores a sale offline only when told the policy accepts its card, and forwards it while young enough", () => {
    const stored = step("sale", STATES.open as IntentState, EVENTS["unreachable, stored"] as IntentEvent);
    expect(kinds(stored.effects)).toEqual(["revise-record", "store-offline", "wipe-card"]);
    expect(revision(stored.effects)).toMatchObject({ change: { status: "pending" } });
    const refused = step("sale", STATES.open as IntentState, EVENTS.unreachable as IntentEvent);
    expect(revision(refused.effects)).toMatchObject({
      change: { status: "declined", declineCode: ErrorCodes.PROCESSOR_UNAVAILABLE },
    });
    expect(step("sale", STATES.deferred as IntentState, EVENTS.forward as IntentEvent).effects).toEqual([
      { kind: "call-processor", call: "forward-stored-sale" },
    ]);
    const expired = step("sale", STATES.deferred as IntentState, EVENTS["forward, too old"] as IntentEvent);
    expect(kinds(expired.effects)).toEqual(["revise-record", "wipe-stored-card", "ask-person"]);
  });

  it("looks the key up when an answer is lost, and asks a person when the look-up fails too", () => {
    expect(
      kinds(step("sale", STATES.open as IntentState, EVENTS["answer-lost"] as IntentEvent).effects),
    ).toEqual(["wipe-card", "look-up"]);
    expect(step("refund", STATES.open as IntentState, EVENTS.reconcile as IntentEvent).effects).toEqual([
      { kind: "look-up", what: "refund" },
    ]);
    expect(step("sale", STATES.open as IntentState, EVENTS["look-up-failed"] as IntentEvent).effects).toEqual(
      [{ kind: "ask-person", why: "outcome-unknown", code: null }],
    );
    expect(step("void", STATES.open as IntentState, EVENTS.reconcile as IntentEvent).effects).toEqual([
      { kind: "call-processor", call: "void" },
    ]);
  });

  it("puts a failed collection back to scheduled and notes the try, however it ends", () => {
    const failed = step("collect", STATES.open as IntentState, EVENTS.declined as IntentEvent);
    expect(revision(failed.effects)).toMatchObject({
      change: { status: "scheduled", paymentDate: null },
      action: "record.collection-failed",
    });
    expect(failed.effects).toContainEqual({
      kind: "note-attempt",
      recordId: base.id,
      attempt: 2,
      outcome: ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS,
    });
    const interrupted = step(
      "collect",
      STATES.open as IntentState,
      EVENTS["found-nothing on reconciling"] as IntentEvent,
    );
    expect(interrupted.effects).toContainEqual(
      expect.objectContaining({ kind: "note-attempt", outcome: ErrorCodes.CARD_PAYMENT_INTERRUPTED }),
    );
  });

  it("begins intents only for records in the right status", () => {
    expect(beginIntent("sale", authorizing).effects).toEqual([{ kind: "call-processor", call: "sale" }]);
    expect(() => beginIntent("sale", record({ status: "completed" }))).toThrow(/CARD_INTENT_EVENT_REFUSED/);
    expect(() => beginIntent("void", record({ status: "voided" }))).toThrow(/CARD_INTENT_EVENT_REFUSED/);
    const scheduled = record({ status: "scheduled", futurePayment: true, paymentDate: null });
    const collect = beginIntent("collect", scheduled, { attempt: 3, today: "2026-12-01" });
    expect(collect.intent).toMatchObject({
      key: `collect:${base.id}:3`,
      attempt: 3,
      state: { phase: "open" },
    });
    expect(revision(collect.effects)).toMatchObject({
      change: { status: "authorizing", paymentDate: "2026-12-01" },
      action: "record.collecting",
    });
    expect(() => beginIntent("collect", authorizing, { attempt: 1, today: "2026-12-01" })).toThrow(
      /PAYMENT_NOT_COLLECTABLE/,
    );
  });
});

describe("an intent's stored form", () => {
  it("reads back every state it writes", () => {
    for (const state of Object.values(STATES))
      expect(stateFromStored(storedState("sale", state))).toEqual(state);
    expect(storedState("void", { phase: "done" })).toEqual({ phase: "done", outcome: "voided" });
    expect(stateFromStored({ phase: "failed", outcome: ErrorCodes.CARD_OFFLINE_EXPIRED })).toEqual({
      phase: "failed",
      failure: { reason: "expired" },
    });
  });

  it("only moves forward: nothing leaves done or failed, nothing goes back to open", () => {
    expect(isPhaseChangeAllowed("open", "done")).toBe(true);
    expect(isPhaseChangeAllowed("deferred", "failed")).toBe(true);
    expect(isPhaseChangeAllowed("deferred", "open")).toBe(false);
    expect(isPhaseChangeAllowed("done", "done")).toBe(false);
    expect(isPhaseChangeAllowed("failed", "done")).toBe(false);
    expect(isPhaseChangeAllowed("open", "open")).toBe(false);
  });
});
