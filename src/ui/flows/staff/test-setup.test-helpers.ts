import type { StaffEffect, StaffEvent } from "./events.js";
import { staffFlow } from "./staff-flow.js";
import type { StaffSetup, StaffState } from "./state.js";
import type { InvoiceView, StaffMemberView } from "./views.js";

export const SETUP: StaffSetup = {
  currency: "USD",
  methods: [
    {
      id: "card",
      name: "Credit Card",
      type: "card",
      cardEntryModes: ["swiped", "keyed", "manual"],
      opensCashDrawer: false,
    },
    { id: "cash", name: "Cash", type: "cash", cardEntryModes: [], opensCashDrawer: true },
    { id: "check", name: "Check", type: "check", cardEntryModes: [], opensCashDrawer: true },
    { id: "gift", name: "Gift Certificate", type: "gift", cardEntryModes: [], opensCashDrawer: false },
  ],
  cardTypes: ["Visa", "Mastercard", "American Express"],
  processorKind: "manual",
  smartReader: false,
  payByPhone: false,
  saveCards: false,
  saveKeyedCards: false,
  signIn: { maxFailedPins: 5, lockoutSeconds: 300 },
  printer: false,
  emailReceipts: false,
};

export const TODAY = "2026-11-26";
export const T0 = Date.parse("2026-11-26T17:00:00Z");

export const MANAGER: StaffMemberView = { id: "mgr", name: "Morgan", role: "manager" };
export const CASHIER: StaffMemberView = { id: "csh", name: "Casey", role: "cashier" };

export const usd = (minor: number) => ({ minor, currency: "USD" });

export const INVOICE: InvoiceView = {
  id: "inv-1",
  number: "A-1001",
  clientName: "Ada Núñez",
  total: usd(25_000),
  paid: usd(5_000),
  refunded: usd(0),
  balance: usd(20_000),
  payable: usd(20_000),
  refundable: usd(5_000),
  payments: [
    {
      id: "rec-cash",
      amount: usd(5_000),
      methodId: "cash",
      methodName: "Cash",
      paymentDate: "2026-11-20",
      detail: null,
    },
  ],
  savedCards: [],
};

/** A touch on the staff screen at T0. */
export const touch = (action: string, value?: string): StaffEvent => ({
  type: "touch",
  action,
  value,
  at: T0,
});

/** Runs events through the flow from a state; returns the final state and every effect asked for. */
export function run(
  state: StaffState,
  ...events: StaffEvent[]
): { state: StaffState; effects: StaffEffect[] } {
  const effects: StaffEffect[] = [];
  let current = state;
  for (const event of events) {
    const result = staffFlow(current, event);
    current = result.state;
    effects.push(...result.effects);
  }
  return { state: current, effects };
}
