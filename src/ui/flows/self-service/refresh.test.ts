import { describe, expect, it } from "vitest";
import type { SelfServiceEvent } from "./events.js";
import { selfServiceReducer } from "./reducer.js";
import { selfServiceScreen } from "./screen-of.js";
import type { InvoiceView } from "./screens.js";
import type { SelfServiceSettings, SelfServiceState } from "./state.js";
import { SETTINGS as BASE_SETTINGS, INVOICE, usd } from "./test-setup.test-helpers.js";

/** Payment by phone on, so the phone screen is among those that follow the balance. */
const SETTINGS: SelfServiceSettings = { ...BASE_SETTINGS, phoneMethodId: "card" };

/** The same invoice after `paidMinor` more was paid elsewhere. */
const paidElsewhere = (paidMinor: number): InvoiceView => ({
  ...INVOICE,
  paid: usd(5_000 + paidMinor),
  balance: usd(20_000 - paidMinor),
  payable: usd(20_000 - paidMinor),
});

const reduce = selfServiceReducer(SETTINGS);
const changed = (...invoiceIds: string[]): SelfServiceEvent => ({ type: "invoices-changed", invoiceIds });
const refreshed = (invoice: InvoiceView): SelfServiceEvent => ({ type: "invoice-refreshed", invoice });

const summary: SelfServiceState = { step: "summary", invoice: INVOICE };
const amount = (enteredMinor: number): SelfServiceState => ({
  step: "amount",
  invoice: INVOICE,
  enteredMinor,
  problem: null,
});
const swipe = (phase: Extract<SelfServiceState, { step: "swipe" }>["phase"]): SelfServiceState => ({
  step: "swipe",
  invoice: INVOICE,
  amountMinor: 20_000,
  methodId: "card",
  via: phase.startsWith("reader") ? "reader" : "swipe",
  phase,
  problem: null,
  saveCard: false,
});

describe("self-service: the invoice shown follows central's balances", () => {
  it("looks the invoice shown up again when central changed it, and only then", () => {
    expect(reduce(summary, changed("inv-9", "inv-1"))).toEqual({
      state: summary,
      effects: [{ type: "refresh-invoice", invoiceNumber: "A-1001" }],
    });
    expect(reduce(summary, changed("inv-9"))).toEqual({ state: summary, effects: [] });
    expect(reduce({ step: "attract" }, changed("inv-1")).effects).toEqual([]);
  });

  it("a refresh on the summary shows the new balance and keeps the client there", () => {
    const next = reduce(summary, refreshed(paidElsewhere(3_000))).state;
    expect(next).toEqual({ step: "summary", invoice: paidElsewhere(3_000) });
    expect(selfServiceScreen(SETTINGS, next)).toMatchObject({
      name: "self.summary",
      invoice: { paid: usd(8_000), balance: usd(17_000), payable: usd(17_000) },
    });
  });

  it("a refresh of another invoice changes nothing", () => {
    const other = { ...paidElsewhere(3_000), id: "inv-2" };
    expect(reduce(summary, refreshed(other)).state).toBe(summary);
  });

  it("nothing left to pay: the summary says it is paid in full (no Pay button), from any step before a charge", () => {
    for (const from of [summary, amount(5_000), swipe("waiting"), swipe("declined")]) {
      const next = reduce(from, refreshed(paidElsewhere(20_000))).state;
      expect(next).toEqual({ step: "summary", invoice: paidElsewhere(20_000) });
      // "pay" no longer applies: the client cannot go on to pay what is paid.
      expect(reduce(next, { type: "touch", action: "pay" }).state).toBe(next);
    }
  });

  it("an amount typed above what is payable now is flagged as more than the balance", () => {
    const next = reduce(amount(15_000), refreshed(paidElsewhere(8_000))).state;
    expect(next).toMatchObject({ step: "amount", enteredMinor: 15_000, problem: "over-balance" });
    expect(selfServiceScreen(SETTINGS, next)).toMatchObject({
      name: "self.amount",
      payable: usd(12_000),
      problem: "over-balance",
    });
    // Still within it: the amount stays, with no problem.
    expect(reduce(amount(10_000), refreshed(paidElsewhere(8_000))).state).toMatchObject({
      step: "amount",
      enteredMinor: 10_000,
      problem: null,
    });
  });

  it("an amount chosen above what is payable now sends the client back to the amount, flagged", () => {
    const method: SelfServiceState = {
      step: "method",
      invoice: INVOICE,
      amountMinor: 20_000,
      saveCard: false,
    };
    expect(reduce(method, refreshed(paidElsewhere(5_000))).state).toEqual({
      step: "amount",
      invoice: paidElsewhere(5_000),
      enteredMinor: 20_000,
      problem: "over-balance",
    });
    // Waiting for a swipe: no card is taken for the old amount.
    expect(reduce(swipe("waiting"), refreshed(paidElsewhere(5_000))).state).toMatchObject({
      step: "amount",
      problem: "over-balance",
    });
  });

  it("a chosen amount that still fits keeps the client where they are, with the new balance", () => {
    const method: SelfServiceState = {
      step: "method",
      invoice: INVOICE,
      amountMinor: 10_000,
      saveCard: false,
    };
    expect(reduce(method, refreshed(paidElsewhere(5_000))).state).toEqual({
      ...method,
      invoice: paidElsewhere(5_000),
    });
  });

  it("during a charge, and after it, nothing changes and nothing is looked up", () => {
    const during = [
      swipe("processing"),
      swipe("reader-starting"),
      swipe("reader-waiting"),
      swipe("cancelling"),
    ];
    const phone: SelfServiceState = {
      step: "phone",
      invoice: INVOICE,
      amountMinor: 20_000,
      methodId: "card",
      phase: "waiting",
      link: null,
      problem: null,
    };
    const receipt: SelfServiceState = {
      step: "receipt",
      invoice: INVOICE,
      amountMinor: 20_000,
      recordId: "rec-1",
      card: { maskedPan: null, brand: "Visa", authorizationCode: "A1" },
      printing: false,
      printFailed: false,
      email: null,
    };
    for (const state of [...during, swipe("unknown"), phone, receipt]) {
      expect(reduce(state, changed("inv-1"))).toEqual({ state, effects: [] });
      expect(reduce(state, refreshed(paidElsewhere(20_000)))).toEqual({ state, effects: [] });
    }
  });
});
