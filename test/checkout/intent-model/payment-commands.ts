import type fc from "fast-check";
import { expect } from "vitest";
import { ErrorCodes } from "../../../src/core/error-codes.js";
import { isKioskError } from "../../../src/core/kiosk-error.js";
import { intentKey } from "../../../src/payments/card-intent/card-intent.js";
import type { PaymentDraftInput } from "../../../src/payments/payment-draft.js";
import { CARDS, encryptedSwipe, swipe } from "../../helpers/card-payments.js";
import { STAFF } from "../../helpers/payments.js";
import type { CallScript } from "../../helpers/scripted-processor.js";
import { checkKiosk } from "./invariants.js";
import { INVOICE_ID, type KioskUnderTest } from "./kiosk-under-test.js";
import {
  acceptsOffline,
  type CardEntry,
  canVoid,
  chargeKeyOf,
  complete,
  DECLINED,
  decline,
  isSettledCharge,
  type Model,
  type ModelRecord,
  openIntent,
  processorCharges,
  refundableMinor,
  settle,
  type TestCard,
  UNAVAILABLE,
  voidUnderWay,
} from "./model.js";

type Command = fc.AsyncCommand<Model, KioskUnderTest>;
/** A call's script, plus `lost-unknown`: the answer is lost and the look-up fails too. */
export type PaymentScript = CallScript | "lost-unknown";

export const NUMBERS: Record<TestCard, string> = { approve: CARDS.approve, decline: CARDS.declined };
const MANAGER = { id: "mgr", role: "manager" as const };

export const cardPayment = (
  amountMinor: number,
  extra: Partial<PaymentDraftInput> = {},
): PaymentDraftInput => ({
  kind: "payment",
  invoiceId: INVOICE_ID,
  amountMinor,
  currency: "USD",
  methodId: "card",
  methodFields: { type: "card", entryMode: "swiped" },
  ...extra,
});

export function script(kiosk: KioskUnderTest, chosen: PaymentScript): void {
  kiosk.processor.calls = chosen === "lost-unknown" ? "lost" : chosen;
  kiosk.processor.lookUps = chosen === "lost-unknown" ? "down" : "answer";
}

const reaches = (chosen: PaymentScript): boolean =>
  chosen === "answer" || chosen === "lost" || chosen === "lost-unknown" || chosen === "crash-after";
type Answered = Exclude<PaymentScript, "crash-before" | "crash-after">;
const crashes = (chosen: PaymentScript): chosen is "crash-before" | "crash-after" =>
  chosen === "crash-before" || chosen === "crash-after";

/** The record a killed kiosk wrote before it died: the one the model does not know yet. */
function recordLeftByCrash(model: Model, kiosk: KioskUnderTest): string {
  const known = new Set(model.records.map((record) => record.id));
  const left = kiosk.snapshot().records.filter((record) => !known.has(record.id));
  expect(left).toHaveLength(1);
  return (left[0] as { id: string }).id;
}

async function expectCrash(work: Promise<unknown>): Promise<void> {
  await expect(work).rejects.toThrow();
}

/** A card payment on the screen: swiped or reader-encrypted, approving or declining, online or not. */
export class Pay implements Command {
  constructor(
    readonly amountMinor: number,
    readonly card: TestCard,
    readonly entry: CardEntry,
    readonly chosen: PaymentScript,
  ) {}

  check(model: Readonly<Model>): boolean {
    return model.up;
  }

  async run(model: Model, kiosk: KioskUnderTest): Promise<void> {
    script(kiosk, this.chosen);
    const number = NUMBERS[this.card];
    const source = this.entry === "swiped" ? swipe(number) : encryptedSwipe(number);
    const paying = kiosk.charger.pay(cardPayment(this.amountMinor), STAFF, source);
    const add = (id: string): ModelRecord => {
      const record: ModelRecord = {
        id,
        kind: "payment",
        entry: this.entry,
        card: this.card,
        amountMinor: this.amountMinor,
        refundOf: null,
        status: "authorizing",
        declineCode: null,
        intents: [openIntent(intentKey("sale", id), "sale")],
        storedAt: null,
        attempts: 0,
      };
      model.records.push(record);
      return record;
    };
    const storeOffline = (record: ModelRecord): void => {
      settle(record.intents[0] as ModelRecord["intents"][number], "deferred", null);
      record.status = "pending";
      record.storedAt = model.now;
    };

    if (!model.online) {
      // Known offline: refused before anything is written, unless the policy stores it.
      if (!acceptsOffline(model, this.entry, this.amountMinor)) {
        const refusal = await paying.catch((error: unknown) => error);
        expect(
          isKioskError(refusal, ErrorCodes.CARD_OFFLINE_NOT_ALLOWED) ||
            isKioskError(refusal, ErrorCodes.CARD_OFFLINE_CAP_EXCEEDED),
        ).toBe(true);
      } else {
        const outcome = await paying;
        expect(outcome.kind).toBe("stored-offline");
        storeOffline(add(outcome.record.id));
      }
      checkKiosk(model, kiosk);
      return;
    }

    if (crashes(this.chosen)) {
      await expectCrash(paying);
      const record = add(recordLeftByCrash(model, kiosk));
      if (reaches(this.chosen)) processorCharges(model, record, intentKey("sale", record.id), this.card);
      model.up = false;
      checkKiosk(model, kiosk);
      return;
    }

    const offlineAccepted = acceptsOffline(model, this.entry, this.amountMinor);
    const outcome = await paying;
    const record = add(outcome.record.id);
    const intent = record.intents[0] as ModelRecord["intents"][number];
    if (reaches(this.chosen)) processorCharges(model, record, intent.key, this.card);
    const approves = this.card === "approve";
    const answered: Record<Answered, () => void> = {
      answer: () => (approves ? complete(record, intent) : decline(record, intent, DECLINED)),
      // The look-up by key finds the charge, or finds that nothing was charged.
      lost: () => (approves ? complete(record, intent) : decline(record, intent, UNAVAILABLE)),
      // Still authorizing: the screen must not say paid.
      "lost-unknown": () => {},
      down: () => {
        model.online = false;
        if (offlineAccepted) storeOffline(record);
        else decline(record, intent, UNAVAILABLE);
      },
    };
    answered[this.chosen as Answered]();
    const expectedKind = {
      authorizing: "unknown",
      completed: "approved",
      declined: "declined",
      pending: "stored-offline",
    }[record.status as "authorizing" | "completed" | "declined" | "pending"];
    expect(outcome.kind).toBe(expectedKind);
    checkKiosk(model, kiosk);
  }

  toString(): string {
    return `Pay(${this.amountMinor}, ${this.card}, ${this.entry}, ${this.chosen})`;
  }
}

/** A manager refunds part of a completed card payment back to its charge. */
export class Refund implements Command {
  constructor(
    readonly pick: number,
    readonly share: number,
    readonly chosen: PaymentScript,
  ) {}

  #target(model: Readonly<Model>): ModelRecord | undefined {
    const eligible = model.records.filter(
      (record) => isSettledCharge(record) && refundableMinor(model as Model, record) > 0,
    );
    return eligible[this.pick % Math.max(eligible.length, 1)];
  }

  check(model: Readonly<Model>): boolean {
    return model.up && !voidUnderWay(model as Model) && this.#target(model) !== undefined;
  }

  async run(model: Model, kiosk: KioskUnderTest): Promise<void> {
    const original = this.#target(model) as ModelRecord;
    // Authorize.Net refunds settled charges only: the day's batch settles first.
    kiosk.simulator.settle();
    for (const record of model.records) if (record.kind === "payment") model.settled.add(record.id);
    const amountMinor = 1 + Math.floor(this.share * (refundableMinor(model, original) - 1));
    script(kiosk, this.chosen);
    const refunding = kiosk.charger.refund(
      cardPayment(amountMinor, { kind: "refund", refundOf: original.id }),
      MANAGER,
    );
    const add = (id: string): ModelRecord => {
      const record: ModelRecord = {
        id,
        kind: "refund",
        entry: original.entry,
        card: original.card,
        amountMinor,
        refundOf: original.id,
        status: "authorizing",
        declineCode: null,
        intents: [openIntent(intentKey("refund", id), "refund")],
        storedAt: null,
        attempts: 0,
      };
      model.records.push(record);
      if (reaches(this.chosen)) model.refunds.set(intentKey("refund", id), { recordId: id, amountMinor });
      return record;
    };
    if (crashes(this.chosen)) {
      await expectCrash(refunding);
      add(recordLeftByCrash(model, kiosk));
      model.up = false;
      checkKiosk(model, kiosk);
      return;
    }
    const outcome = await refunding;
    const record = add(outcome.record.id);
    const intent = record.intents[0] as ModelRecord["intents"][number];
    if (this.chosen === "answer" || this.chosen === "lost") complete(record, intent);
    if (this.chosen === "down") decline(record, intent, UNAVAILABLE);
    expect(outcome.kind).toBe(
      { "lost-unknown": "unknown", down: "declined" }[this.chosen as string] ?? "approved",
    );
    checkKiosk(model, kiosk);
  }

  toString(): string {
    return `Refund(#${this.pick}, ${this.share.toFixed(2)} of what is left, ${this.chosen})`;
  }
}

/** A manager voids a completed card payment of the shift: voided at once, and at the processor. */
export class Void implements Command {
  constructor(
    readonly pick: number,
    readonly chosen: CallScript,
  ) {}

  #target(model: Readonly<Model>): ModelRecord | undefined {
    const eligible = model.records.filter((record) => canVoid(model as Model, record));
    return eligible[this.pick % Math.max(eligible.length, 1)];
  }

  check(model: Readonly<Model>): boolean {
    return model.up && this.#target(model) !== undefined;
  }

  async run(model: Model, kiosk: KioskUnderTest): Promise<void> {
    const record = this.#target(model) as ModelRecord;
    script(kiosk, this.chosen);
    const voiding = kiosk.charger.void(record.id, MANAGER);
    const intent = openIntent(intentKey("void", record.id), "void");
    record.intents.push(intent);
    record.status = "voided";
    const charge = model.charges.get(chargeKeyOf(record) ?? "");
    if (reaches(this.chosen) && charge) charge.voided = true;
    if (crashes(this.chosen)) {
      await expectCrash(voiding);
      model.up = false;
    } else {
      expect((await voiding).status).toBe("voided");
      if (this.chosen === "answer") settle(intent, "done", "voided");
    }
    checkKiosk(model, kiosk);
  }

  toString(): string {
    return `Void(#${this.pick}, ${this.chosen})`;
  }
}

/** The background round finds the processor answering again. */
export class ProcessorBack implements Command {
  check(model: Readonly<Model>): boolean {
    return model.up && !model.online;
  }

  async run(model: Model, kiosk: KioskUnderTest): Promise<void> {
    kiosk.availability.markReachable();
    model.online = true;
    checkKiosk(model, kiosk);
  }

  toString(): string {
    return "ProcessorBack";
  }
}
