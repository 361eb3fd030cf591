import type { InvoiceView } from "./screens.js";
import type { SelfServiceSettings } from "./state.js";

/** A kiosk's self-service settings for the flow's unit tests: part payments, card here, cash at the desk. */
export const SETTINGS: SelfServiceSettings = {
  studioName: "Demo Studio",
  currency: "USD",
  allowPartial: true,
  minPartialMinor: 500,
  maxAmountMinor: 100_000,
  methods: [
    { id: "card", name: "Credit Card", type: "card", here: true },
    { id: "cash", name: "Cash", type: "cash", here: false },
  ],
  printerAvailable: true,
  thankYouMs: 8000,
  smartReader: false,
  phoneMethodId: null,
  saveCards: false,
};

export const usd = (minor: number) => ({ minor, currency: "USD" });

export const INVOICE: InvoiceView = {
  id: "inv-1",
  number: "A-1001",
  clientName: "Ada Núñez",
  lines: [{ description: "Portrait package", quantity: 1, amount: usd(25_000) }],
  total: usd(25_000),
  paid: usd(5_000),
  balance: usd(20_000),
  payable: usd(20_000),
};
