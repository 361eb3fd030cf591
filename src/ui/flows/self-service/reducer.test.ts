import { describe, expect, it } from "vitest";
import type { SelfServiceEffect, SelfServiceEvent } from "./events.js";
import { selfServiceReducer, waitsForSwipe } from "./reducer.js";
import { selfServiceIdleExempt, selfServiceScreen } from "./screen-of.js";
import { ATTRACT, type SelfServiceState } from "./state.js";
import { INVOICE, SETTINGS, usd } from "./test-setup.test-helpers.js";

const touch = (action: string, value?: string): SelfServiceEvent => ({ type: "touch", action, value });

/** Runs events from a state; returns the final state and every effect asked for. */
function run(
  events: readonly SelfServiceEvent[],
  from: SelfServiceState = ATTRACT,
  settings = SETTINGS,
): { state: SelfServiceState; effects: SelfServiceEffect[] } {
  const reduce = selfServiceReducer(settings);
  let state = from;
  const effects: SelfServiceEffect[] = [];
  for (const event of events) {
    const next = reduce(state, event);
    state = next.state;
    effects.push(...next.effects);
  }
  return { state, effects };
}

const screenName = (state: SelfServiceState) => selfServiceScreen(SETTINGS, state).name;
const keys = (text: string) => [...text].map((key) => touch("key", key));
const found = (): SelfServiceEvent => ({ type: "lookup-finished", invoice: INVOICE });

const atSwipe = run([
  touch("start"),
  ...keys("a-1001"),
  touch("field", "lastName"),
  ...keys("Núñez"),
  touch("search"),
  found(),
  touch("pay"),
  touch("pay-balance"),
  touch("method", "card"),
]).state;

describe("self-service flow", () => {
  it("goes attract → find → summary → amount → method → swipe → receipt → thank you → attract", () => {
    const search = run([
      touch("start"),
      ...keys("a-1001"),
      touch("field", "lastName"),
      ...keys("Núñez"),
      touch("search"),
    ]);
    expect(search.effects).toEqual([{ type: "find-invoice", invoiceNumber: "A-1001", lastName: "Núñez" }]);
    expect(selfServiceScreen(SETTINGS, search.state)).toMatchObject({ name: "self.find", searching: true });

    expect(screenName(atSwipe)).toBe("self.swipe");
    expect(waitsForSwipe(atSwipe)).toBe(true);
    const charged = run([{ type: "card-read" }], atSwipe);
    expect(charged.effects).toEqual([
      { type: "charge-card", invoiceId: "inv-1", methodId: "card", amount: usd(20_000), saveCard: false },
    ]);
    expect(waitsForSwipe(charged.state)).toBe(false);
    expect(selfServiceIdleExempt(charged.state)).toBe(true);

    const card = { maskedPan: "424242******4242", brand: "Visa", authorizationCode: "A1B2C3" };
    const paid = run(
      [{ type: "charge-finished", result: { kind: "approved", recordId: "rec-1", card } }, touch("print")],
      charged.state,
    );
    expect(paid.effects).toEqual([
      {
        type: "print-receipt",
        recordId: "rec-1",
        invoiceNumber: "A-1001",
        amount: usd(20_000),
        balanceRemaining: usd(0),
        card,
      },
    ]);
    const done = run([{ type: "receipt-finished", printed: true }], paid.state);
    expect(selfServiceScreen(SETTINGS, done.state)).toMatchObject({
      name: "self.thank-you",
      amount: usd(20_000),
      balanceRemaining: usd(0),
      receiptPrinted: true,
    });
    expect(done.effects).toEqual([{ type: "start-timer", timer: "thank-you", ms: 8000 }]);
    expect(run([{ type: "timer-expired", timer: "thank-you" }], done.state).state).toEqual(ATTRACT);
  });

  it("asks for both fields, and says when nothing matches without saying which was wrong", () => {
    const incomplete = run([touch("start"), ...keys("A1"), touch("search")]);
    expect(incomplete.effects).toEqual([]);
    expect(selfServiceScreen(SETTINGS, incomplete.state)).toMatchObject({
      problem: "incomplete",
      field: "lastName",
    });
    const missing = run(
      [
        touch("field", "lastName"),
        ...keys("Doe"),
        touch("search"),
        { type: "lookup-finished", invoice: null },
      ],
      incomplete.state,
    );
    expect(selfServiceScreen(SETTINGS, missing.state)).toMatchObject({
      name: "self.find",
      problem: "not-found",
      searching: false,
    });
  });

  it("keeps keys that do not belong to a field out of it", () => {
    const reduce = selfServiceReducer(SETTINGS);
    const find = run([touch("start")]).state;
    expect(reduce(find, touch("key", "%")).state).toBe(find);
    expect(reduce(find, touch("key", "AB")).state).toBe(find);
    expect(reduce(find, touch("key")).state).toBe(find);
    const full = run(keys("A".repeat(40)), find).state;
    expect(selfServiceScreen(SETTINGS, full)).toMatchObject({ invoiceNumber: "A".repeat(32) });
  });

  it("a scanned invoice searches by number alone, but never interrupts a payment", () => {
    const scanned = run([{ type: "scanned", invoiceNumber: "A-1001" }]);
    expect(scanned.effects).toEqual([{ type: "find-invoice", invoiceNumber: "A-1001", lastName: null }]);
    const reduce = selfServiceReducer(SETTINGS);
    const during = reduce(atSwipe, { type: "scanned", invoiceNumber: "B-2" });
    expect(during.state).toBe(atSwipe);
    expect(during.effects).toEqual([]);
  });

  it("takes a part of the balance within the configured rules", () => {
    const amount = run([
      touch("start"),
      ...keys("A1"),
      touch("field", "lastName"),
      ...keys("X"),
      touch("search"),
      found(),
      touch("pay"),
    ]).state;
    expect(screenName(amount)).toBe("self.amount");
    const confirm = (typed: string) =>
      selfServiceScreen(SETTINGS, run([touch("clear"), ...keys(typed), touch("confirm")], amount).state);
    expect(confirm("")).toMatchObject({ problem: "zero" });
    expect(confirm("499")).toMatchObject({ problem: "under-minimum" });
    expect(confirm("20001")).toMatchObject({ problem: "over-balance" });
    expect(confirm("5000")).toMatchObject({ name: "self.method", amount: usd(5_000) });
    const noPartial = { ...SETTINGS, allowPartial: false };
    const direct = run([touch("pay")], { step: "summary", invoice: INVOICE }, noPartial).state;
    expect(selfServiceScreen(noPartial, direct)).toMatchObject({ name: "self.method", amount: usd(20_000) });
  });

  it("refuses a part over the kiosk's limit", () => {
    const big = { ...INVOICE, balance: usd(500_000), payable: usd(500_000) };
    const state = run([...keys("200000"), touch("confirm")], {
      step: "amount",
      invoice: big,
      enteredMinor: 0,
      problem: null,
    }).state;
    expect(selfServiceScreen(SETTINGS, state)).toMatchObject({ problem: "over-limit" });
  });

  it("sends cash to the front desk", () => {
    const method = run([touch("cancel")], atSwipe).state;
    const staff = run([touch("method", "cash")], method).state;
    expect(selfServiceScreen(SETTINGS, staff)).toMatchObject({ name: "self.see-staff", methodName: "Cash" });
    expect(run([touch("method", "gift")], method).state).toBe(method);
  });

  it("a declined card shows the reason and takes another card", () => {
    const declined = run(
      [
        { type: "card-read" },
        {
          type: "charge-finished",
          result: {
            kind: "declined",
            problem: { code: "PROCESSOR_DECLINED", message: "The card was declined." },
          },
        },
      ],
      atSwipe,
    );
    expect(selfServiceScreen(SETTINGS, declined.state)).toMatchObject({
      name: "self.swipe",
      phase: "declined",
      problem: { code: "PROCESSOR_DECLINED" },
    });
    expect(waitsForSwipe(declined.state)).toBe(true);
    expect(run([{ type: "card-read" }], declined.state).effects).toHaveLength(1);
  });

  it("an unknown outcome takes no other card: the client sees staff", () => {
    const unknown = run(
      [
        { type: "card-read" },
        {
          type: "charge-finished",
          result: { kind: "unknown", problem: { code: "PROCESSOR_OUTCOME_UNKNOWN", message: "?" } },
        },
      ],
      atSwipe,
    ).state;
    expect(waitsForSwipe(unknown)).toBe(false);
    expect(run([touch("cancel")], unknown).state).toBe(unknown);
    expect(run([touch("done")], unknown).state).toEqual(ATTRACT);
  });

  it("a processing screen ignores touches and a second card", () => {
    const processing = run([{ type: "card-read" }], atSwipe).state;
    const reduce = selfServiceReducer(SETTINGS);
    expect(reduce(processing, touch("cancel")).state).toBe(processing);
    expect(reduce(processing, { type: "card-read" }).effects).toEqual([]);
  });

  it("without a printer, an approved payment goes straight to thank you", () => {
    const noPrinter = { ...SETTINGS, printerAvailable: false };
    const state = run(
      [
        { type: "card-read" },
        {
          type: "charge-finished",
          result: {
            kind: "approved",
            recordId: "r",
            card: { maskedPan: null, brand: null, authorizationCode: null },
          },
        },
      ],
      atSwipe,
      noPrinter,
    ).state;
    expect(state.step).toBe("thank-you");
  });

  it("a failed print says so and still lets the client leave", () => {
    const receipt: SelfServiceState = {
      step: "receipt",
      invoice: INVOICE,
      amountMinor: 100,
      recordId: "r",
      card: { maskedPan: null, brand: null, authorizationCode: null },
      printing: true,
      printFailed: false,
      email: null,
    };
    const failed = run([{ type: "receipt-finished", printed: false }], receipt).state;
    expect(selfServiceScreen(SETTINGS, failed)).toMatchObject({ printFailed: true, printing: false });
    expect(run([touch("no-receipt")], failed).state.step).toBe("thank-you");
  });

  it("a reset clears everything personal", () => {
    expect(run([{ type: "reset" }], atSwipe).state).toEqual(ATTRACT);
    expect(selfServiceScreen(SETTINGS, ATTRACT)).toEqual({ name: "self.attract", studioName: "Demo Studio" });
  });
});

describe("self-service flow with a smart reader", () => {
  const READER = { ...SETTINGS, smartReader: true };
  const toMethod = [
    touch("start"),
    ...keys("a-1001"),
    touch("field", "lastName"),
    ...keys("Núñez"),
    touch("search"),
    found(),
    touch("pay"),
    touch("pay-balance"),
  ];
  const collect = {
    type: "collect-on-reader",
    invoiceId: "inv-1",
    methodId: "card",
    amount: usd(20_000),
    saveCard: false,
  };
  const declined: SelfServiceEvent = {
    type: "charge-finished",
    result: {
      kind: "declined",
      problem: { code: "PROCESSOR_INSUFFICIENT_FUNDS", message: "Not enough funds." },
    },
  };
  const screenOf = (state: SelfServiceState) => selfServiceScreen(READER, state);

  it("hands the payment to the reader at once, says when it waits for the card, and pays", () => {
    const started = run([...toMethod, touch("method", "card")], ATTRACT, READER);
    expect(started.effects.at(-1)).toEqual(collect);
    expect(screenOf(started.state)).toMatchObject({
      name: "self.swipe",
      via: "reader",
      phase: "reader-starting",
    });
    // A swipe on the kiosk's own reader (kept for invoice codes) is not taken for this payment.
    expect(waitsForSwipe(started.state)).toBe(false);
    expect(run([{ type: "card-read" }], started.state, READER).effects).toEqual([]);
    const waiting = run([{ type: "reader-progress", step: "waiting-for-card" }], started.state, READER);
    expect(screenOf(waiting.state)).toMatchObject({ phase: "reader-waiting" });
    expect(selfServiceIdleExempt(waiting.state)).toBe(true);
    const card = { maskedPan: null, brand: "visa", authorizationCode: "123456" };
    const paid = run(
      [{ type: "charge-finished", result: { kind: "approved", recordId: "rec-1", card } }],
      waiting.state,
      READER,
    );
    expect(screenOf(paid.state)).toMatchObject({ name: "self.receipt", card });
  });

  it("shows a decline with its reason and tries again on the reader when the client asks", () => {
    const waiting = run(
      [...toMethod, touch("method", "card"), { type: "reader-progress", step: "waiting-for-card" }, declined],
      ATTRACT,
      READER,
    );
    expect(screenOf(waiting.state)).toMatchObject({
      phase: "declined",
      problem: { code: "PROCESSOR_INSUFFICIENT_FUNDS" },
    });
    expect(selfServiceIdleExempt(waiting.state)).toBe(false);
    const again = run([touch("retry")], waiting.state, READER);
    expect(again.effects).toEqual([collect]);
    expect(screenOf(again.state)).toMatchObject({ phase: "reader-starting", problem: null });
  });

  it("cancels the collection when the client touches Cancel, and goes back to the methods", () => {
    const waiting = run(
      [...toMethod, touch("method", "card"), { type: "reader-progress", step: "waiting-for-card" }],
      ATTRACT,
      READER,
    );
    const cancelling = run([touch("cancel")], waiting.state, READER);
    expect(cancelling.effects).toEqual([{ type: "cancel-reader" }]);
    expect(screenOf(cancelling.state)).toMatchObject({ phase: "cancelling" });
    // Nothing else is taken while the reader cancels: its answer decides.
    expect(run([touch("cancel"), touch("retry")], cancelling.state, READER).state).toBe(cancelling.state);
    const back = run(
      [
        {
          type: "charge-finished",
          result: { kind: "declined", problem: { code: "CARD_COLLECTION_CANCELLED", message: "Cancelled." } },
        },
      ],
      cancelling.state,
      READER,
    );
    expect(screenOf(back.state)).toMatchObject({ name: "self.method" });
    // Paid just before the cancel reached the reader: paid it is.
    const card = { maskedPan: null, brand: "visa", authorizationCode: null };
    const paidAnyway = run(
      [{ type: "charge-finished", result: { kind: "approved", recordId: "rec-2", card } }],
      cancelling.state,
      READER,
    );
    expect(screenOf(paidAnyway.state)).toMatchObject({ name: "self.receipt" });
  });

  it("a reader timing out without the client's Cancel is a decline the client can retry", () => {
    const timedOut = run(
      [
        ...toMethod,
        touch("method", "card"),
        {
          type: "charge-finished",
          result: {
            kind: "declined",
            problem: { code: "CARD_COLLECTION_CANCELLED", message: "No card presented in time." },
          },
        },
      ],
      ATTRACT,
      READER,
    );
    expect(screenOf(timedOut.state)).toMatchObject({ name: "self.swipe", phase: "declined" });
  });
});

describe("self-service: pay on your phone", () => {
  const PHONE = { ...SETTINGS, phoneMethodId: "card" };
  const atSummary = run(
    [
      touch("start"),
      ...keys("a-1001"),
      touch("field", "lastName"),
      ...keys("Núñez"),
      touch("search"),
      found(),
    ],
    ATTRACT,
    PHONE,
  ).state;
  const link = {
    url: "https://pay.example/cs_test_1",
    expiresAt: "2026-11-26T18:00:00Z",
    qr: { size: 21, path: "M0 0h7v1h-7z" },
  };
  const screenOf = (state: SelfServiceState) => selfServiceScreen(PHONE, state);
  const card = { maskedPan: null, brand: "Visa", authorizationCode: "123456" };

  it("is offered on the summary only when the processor has payment pages", () => {
    expect(screenOf(atSummary)).toMatchObject({ name: "self.summary", payByPhone: true });
    expect(selfServiceScreen(SETTINGS, atSummary)).toMatchObject({ payByPhone: false });
    expect(run([touch("pay-phone")], atSummary, SETTINGS).state).toBe(atSummary);
  });

  it("makes a page for the balance, shows its code while waiting, and takes the payment as paid", () => {
    const started = run([touch("pay-phone")], atSummary, PHONE);
    expect(started.effects).toEqual([
      {
        type: "start-pay-link",
        invoiceId: "inv-1",
        invoiceNumber: "A-1001",
        methodId: "card",
        amount: usd(20_000),
      },
    ]);
    const waiting = run([{ type: "pay-link-ready", link }], started.state, PHONE);
    expect(screenOf(waiting.state)).toMatchObject({
      name: "self.phone",
      phase: "waiting",
      link,
      amount: usd(20_000),
    });
    const paid = run(
      [{ type: "charge-finished", result: { kind: "approved", recordId: "rec-9", card } }],
      waiting.state,
      PHONE,
    );
    expect(screenOf(paid.state)).toMatchObject({ name: "self.receipt", amount: usd(20_000) });
  });

  it("closes the page when the client chooses another way, and says so when it expired", () => {
    const waiting = run([touch("pay-phone"), { type: "pay-link-ready", link }], atSummary, PHONE).state;
    const closing = run([touch("cancel")], waiting, PHONE);
    expect(closing.effects).toEqual([{ type: "close-pay-link" }]);
    const cancelled = {
      kind: "declined",
      problem: { code: "CARD_COLLECTION_CANCELLED", message: "closed" },
    } as const;
    expect(
      screenOf(run([{ type: "charge-finished", result: cancelled }], closing.state, PHONE).state),
    ).toMatchObject({
      name: "self.summary",
    });
    const expired = run([{ type: "charge-finished", result: cancelled }], waiting, PHONE).state;
    expect(screenOf(expired)).toMatchObject({ name: "self.phone", phase: "expired", link: null });
    expect(run([touch("retry")], expired, PHONE).effects).toMatchObject([{ type: "start-pay-link" }]);
    expect(screenOf(run([touch("back")], expired, PHONE).state)).toMatchObject({ name: "self.summary" });
  });
});

describe("saving the card, only with the client's consent", () => {
  const KEEPS = { ...SETTINGS, smartReader: true, saveCards: true };
  const toMethod = [
    touch("start"),
    ...keys("a-1001"),
    touch("field", "lastName"),
    ...keys("Núñez"),
    touch("search"),
    found(),
    touch("pay"),
    touch("pay-balance"),
  ];

  it("offers the box unticked, and keeps the card only when the client ticks it", () => {
    const method = run(toMethod, ATTRACT, KEEPS);
    expect(selfServiceScreen(KEEPS, method.state)).toMatchObject({ name: "self.method", saveCard: false });
    const plain = run([touch("method", "card")], method.state, KEEPS);
    expect(plain.effects).toMatchObject([{ type: "collect-on-reader", saveCard: false }]);

    const ticked = run([touch("save-card")], method.state, KEEPS);
    expect(selfServiceScreen(KEEPS, ticked.state)).toMatchObject({ saveCard: true });
    const untickedAgain = run([touch("save-card")], ticked.state, KEEPS);
    expect(selfServiceScreen(KEEPS, untickedAgain.state)).toMatchObject({ saveCard: false });

    const saving = run([touch("method", "card")], ticked.state, KEEPS);
    expect(saving.effects).toMatchObject([{ type: "collect-on-reader", saveCard: true }]);
    expect(selfServiceScreen(KEEPS, saving.state)).toMatchObject({ name: "self.swipe", saveCard: true });
    // Cancelled at the reader: back to choosing, the client's choice still shown.
    const back = run(
      [
        touch("cancel"),
        {
          type: "charge-finished",
          result: { kind: "declined", problem: { code: "CARD_COLLECTION_CANCELLED", message: "" } },
        },
      ],
      saving.state,
      KEEPS,
    );
    expect(selfServiceScreen(KEEPS, back.state)).toMatchObject({ name: "self.method", saveCard: true });
  });

  it("carries the consent to a swipe on the kiosk's own reader", () => {
    const swipes = { ...SETTINGS, saveCards: true };
    const charged = run(
      [...toMethod, touch("save-card"), touch("method", "card"), { type: "card-read" }],
      ATTRACT,
      swipes,
    );
    expect(charged.effects.at(-1)).toMatchObject({ type: "charge-card", saveCard: true });
  });

  it("offers nothing, and keeps nothing, where the processor keeps no cards", () => {
    const method = run(toMethod);
    expect(selfServiceScreen(SETTINGS, method.state)).toMatchObject({ name: "self.method", saveCard: null });
    const charged = run([touch("save-card"), touch("method", "card"), { type: "card-read" }], method.state);
    expect(charged.effects.at(-1)).toMatchObject({ type: "charge-card", saveCard: false });
  });
});

describe("self-service emailed receipt", () => {
  const EMAILING = { ...SETTINGS, emailReceipts: true };
  const RECEIPT: SelfServiceState = {
    step: "receipt",
    invoice: INVOICE,
    amountMinor: 100,
    recordId: "rec-5",
    card: { maskedPan: null, brand: null, authorizationCode: null },
    printing: false,
    printFailed: false,
    email: null,
  };

  it("is offered only when the kiosk can email", () => {
    expect(run([touch("email")], RECEIPT).state).toBe(RECEIPT);
    const opened = run([touch("email")], RECEIPT, EMAILING).state;
    expect(opened.step === "receipt" && opened.email?.recordId).toBe("rec-5");
  });

  it("checks the address, asks central, and says thank you once it is sent", () => {
    const typed = run([touch("email"), ...keys("ana@example.com"), touch("email-send")], RECEIPT, EMAILING);
    expect(typed.effects).toEqual([{ type: "email-receipt", recordId: "rec-5", address: "ana@example.com" }]);
    const sent = run(
      [{ type: "receipt-emailed", recordId: "rec-5", error: null }],
      typed.state,
      EMAILING,
    ).state;
    expect(sent.step === "receipt" && sent.email?.sent).toBe("ana@example.com");
    const done = run([touch("email-close")], sent, EMAILING);
    expect(done.state.step).toBe("thank-you");
  });

  it("never sends a wrong address", () => {
    const typed = run([touch("email"), ...keys("ana@"), touch("email-send")], RECEIPT, EMAILING);
    expect(typed.effects).toEqual([]);
    expect(typed.state.step === "receipt" && typed.state.email?.error?.code).toBe("RECEIPT_EMAIL_INVALID");
  });
});
