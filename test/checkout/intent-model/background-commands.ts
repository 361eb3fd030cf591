import type fc from "fast-check";
import { expect } from "vitest";
import { collectDuePayments } from "../../../src/checkout/cards/due-payments.js";
import { forwardOfflinePayments } from "../../../src/checkout/cards/offline-forwarder.js";
import { type ReconcileReport, reconcileIntents } from "../../../src/checkout/cards/reconciler.js";
import { intentKey } from "../../../src/payments/card-intent/card-intent.js";
import { studioToday } from "../../../src/payments/studio-date.js";
import { STAFF } from "../../helpers/payments.js";
import type { CallScript } from "../../helpers/scripted-processor.js";
import { SETTINGS } from "../../helpers/store.js";
import { checkKiosk, checkReconciled } from "./invariants.js";
import type { KioskUnderTest } from "./kiosk-under-test.js";
import {
  COLLECTION_POLICY,
  collectionFailed,
  complete,
  DECLINED,
  decline,
  EXPIRED,
  futurePayment,
  INTERRUPTED,
  type Model,
  type ModelRecord,
  mainIntent,
  OFFLINE_POLICY,
  openIntent,
  processorCharges,
  settle,
  type TestCard,
  UNAVAILABLE,
} from "./model.js";
import { cardPayment, script } from "./payment-commands.js";

type Command = fc.AsyncCommand<Model, KioskUnderTest>;
const HOUR = 3_600_000;
const crashes = (chosen: CallScript): boolean => chosen === "crash-before" || chosen === "crash-after";
const reaches = (chosen: CallScript): boolean =>
  chosen === "answer" || chosen === "lost" || chosen === "crash-after";

function advance(model: Model, kiosk: KioskUnderTest, ms: number): void {
  model.now += ms;
  kiosk.clock.advance(ms);
}

/** Time passes (offline payments age, future payments fall due). */
export class AdvanceClock implements Command {
  constructor(readonly hours: number) {}

  check(): boolean {
    return true;
  }

  async run(model: Model, kiosk: KioskUnderTest): Promise<void> {
    advance(model, kiosk, this.hours * HOUR);
    checkKiosk(model, kiosk);
  }

  toString(): string {
    return `AdvanceClock(${this.hours} h)`;
  }
}

/** Staff take a future card payment, due tomorrow, to be charged to the client's saved card. */
export class Schedule implements Command {
  constructor(readonly amountMinor: number) {}

  check(model: Readonly<Model>): boolean {
    return model.up && futurePayment(model as Model) === undefined;
  }

  async run(model: Model, kiosk: KioskUnderTest): Promise<void> {
    const dueDate = studioToday(new Date(model.now + 24 * HOUR), SETTINGS.timeZone);
    const record = kiosk.store.ledger.record(
      cardPayment(this.amountMinor, {
        futurePayment: true,
        dueDate,
        methodFields: { type: "card", entryMode: "keyed" },
      }),
      STAFF,
    );
    expect(record.status).toBe("scheduled");
    model.records.push({
      id: record.id,
      kind: "payment",
      entry: "saved",
      card: "approve",
      amountMinor: this.amountMinor,
      refundOf: null,
      status: "scheduled",
      declineCode: null,
      intents: [],
      storedAt: null,
      attempts: 0,
    });
    checkKiosk(model, kiosk);
  }

  toString(): string {
    return `Schedule(${this.amountMinor})`;
  }
}

/** A day later, the background round charges the due payment to the saved card (one try). */
export class Collect implements Command {
  constructor(
    readonly card: TestCard,
    readonly chosen: CallScript,
  ) {}

  check(model: Readonly<Model>): boolean {
    return model.up && futurePayment(model as Model)?.status === "scheduled";
  }

  async run(model: Model, kiosk: KioskUnderTest): Promise<void> {
    const record = futurePayment(model) as ModelRecord;
    advance(model, kiosk, 25 * HOUR);
    script(kiosk, this.chosen);
    kiosk.processor.savedCardToken = kiosk.template.savedCardTokens[this.card];
    const collecting = collectDuePayments({
      store: kiosk.store,
      processor: kiosk.processor,
      policy: COLLECTION_POLICY,
      clock: kiosk.clock,
      timeZone: SETTINGS.timeZone,
      logger: kiosk.logger,
    });
    const intent = openIntent(intentKey("collect", record.id, record.attempts + 1), "collect");
    record.intents.push(intent);
    record.status = "authorizing";
    record.card = this.card;
    if (reaches(this.chosen)) processorCharges(model, record, intent.key, this.card);
    if (crashes(this.chosen)) {
      await expect(collecting).rejects.toThrow();
      model.up = false;
    } else {
      await collecting;
      if (this.chosen === "answer" && this.card === "approve") {
        complete(record, intent);
        record.attempts += 1;
      }
      if (this.chosen === "answer" && this.card === "decline") collectionFailed(record, intent, DECLINED);
      if (this.chosen === "down") collectionFailed(record, intent, UNAVAILABLE);
      // lost: left open for the reconciler, which looks the key up.
    }
    checkKiosk(model, kiosk);
  }

  toString(): string {
    return `Collect(${this.card}, ${this.chosen})`;
  }
}

/** The background round forwards the payments stored offline, each with its own key. */
export class Forward implements Command {
  constructor(readonly chosen: CallScript) {}

  #deferred(model: Readonly<Model>): ModelRecord[] {
    return model.records.filter((record) => mainIntent(record)?.phase === "deferred");
  }

  check(model: Readonly<Model>): boolean {
    // A kill stops the batch where it is: keep to one payment so the model knows which one it hit.
    return model.up && (!crashes(this.chosen) || this.#deferred(model).length === 1);
  }

  async run(model: Model, kiosk: KioskUnderTest): Promise<void> {
    script(kiosk, this.chosen);
    const forwarding = forwardOfflinePayments({
      store: kiosk.store,
      processor: kiosk.processor,
      availability: kiosk.availability,
      policy: OFFLINE_POLICY,
      clock: kiosk.clock,
      logger: kiosk.logger,
    });
    const young: ModelRecord[] = [];
    for (const record of this.#deferred(model)) {
      const intent = mainIntent(record) as ModelRecord["intents"][number];
      const ageHours = (model.now - (record.storedAt ?? model.now)) / HOUR;
      if (ageHours > OFFLINE_POLICY.maxAgeHours) decline(record, intent, EXPIRED);
      else young.push(record);
    }
    // Too old ones are declined without a call; the others go to the processor, as scripted.
    for (const record of young) {
      const intent = mainIntent(record) as ModelRecord["intents"][number];
      if (reaches(this.chosen)) processorCharges(model, record, intent.key, record.card);
      if (this.chosen === "answer" && record.card === "approve") {
        complete(record, intent);
        model.online = true;
      }
      if (this.chosen === "answer" && record.card === "decline") decline(record, intent, DECLINED);
      if (this.chosen === "down") model.online = false;
    }
    if (crashes(this.chosen) && young.length > 0) {
      await expect(forwarding).rejects.toThrow();
      model.up = false;
    } else {
      await forwarding;
    }
    checkKiosk(model, kiosk);
  }

  toString(): string {
    return `Forward(${this.chosen})`;
  }
}

/** What reconciling does to the model when the processor answers: every open intent settles. */
function reconcileModel(model: Model): ReconcileReport {
  const report: ReconcileReport = { completed: 0, failed: 0, voidsSent: 0, stillOpen: 0 };
  for (const record of model.records) {
    for (const intent of record.intents.filter((candidate) => candidate.phase === "open")) {
      switch (intent.operation) {
        case "sale":
        case "collect": {
          const made = model.charges.has(intent.key);
          if (made) complete(record, intent);
          if (made && intent.operation === "collect") record.attempts += 1;
          if (!made && intent.operation === "sale") decline(record, intent, INTERRUPTED);
          if (!made && intent.operation === "collect") collectionFailed(record, intent, INTERRUPTED);
          report[made ? "completed" : "failed"] += 1;
          break;
        }
        case "refund": {
          const made = model.refunds.has(intent.key);
          if (made) complete(record, intent);
          else decline(record, intent, INTERRUPTED);
          report[made ? "completed" : "failed"] += 1;
          break;
        }
        case "void": {
          const charge = [...model.charges.values()].find((candidate) => candidate.recordId === record.id);
          if (charge) charge.voided = true;
          settle(intent, "done", "voided");
          report.voidsSent += 1;
        }
      }
    }
  }
  return report;
}

const openIntents = (model: Model): number =>
  model.records.reduce(
    (sum, record) => sum + record.intents.filter((intent) => intent.phase === "open").length,
    0,
  );

async function reconcile(model: Model, kiosk: KioskUnderTest, processorUp: boolean): Promise<void> {
  kiosk.processor.calls = processorUp ? "answer" : "down";
  kiosk.processor.lookUps = processorUp ? "answer" : "down";
  const report = await reconcileIntents(kiosk.store, kiosk.processor, kiosk.logger, {
    running: (key) => kiosk.charger.isRunning(key),
  });
  if (processorUp) {
    expect(report).toEqual(reconcileModel(model));
    checkReconciled(model, kiosk);
  } else {
    expect(report).toEqual({ completed: 0, failed: 0, voidsSent: 0, stillOpen: openIntents(model) });
    checkKiosk(model, kiosk);
  }
}

/** The background round reconciles what is still open. */
export class Reconcile implements Command {
  constructor(readonly processorUp: boolean) {}

  check(model: Readonly<Model>): boolean {
    return model.up;
  }

  run(model: Model, kiosk: KioskUnderTest): Promise<void> {
    return reconcile(model, kiosk, this.processorUp);
  }

  toString(): string {
    return `Reconcile(processor ${this.processorUp ? "up" : "down"})`;
  }
}

/** The kiosk starts again on the same database file (after a kill, or a restart), and reconciles. */
export class Restart implements Command {
  constructor(readonly processorUp: boolean) {}

  check(): boolean {
    return true;
  }

  run(model: Model, kiosk: KioskUnderTest): Promise<void> {
    kiosk.stop();
    kiosk.start();
    model.up = true;
    model.online = true;
    return reconcile(model, kiosk, this.processorUp);
  }

  toString(): string {
    return `Restart(processor ${this.processorUp ? "up" : "down"})`;
  }
}
