import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_METADATA } from "../../src/processors/stripe/charge-of.js";
import {
  type RunningStripeSimulator,
  startStripeSimulator,
} from "../../src/processors/stripe-simulator/stripe-simulator.js";
import { KIOSK_GRANT } from "../fixtures/stripe-test-cards.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { invoice } from "../helpers/payments.js";
import { MANAGER_PIN, openInvoice, signIn } from "../helpers/staff-screen.js";

const INVOICE = invoice({
  id: "inv-3001",
  number: "3001",
  client: { id: "cl-31", firstName: "Rosa", lastName: "Diaz" },
  lines: [{ description: "Family portrait", quantity: 1, amountMinor: 12_000 }],
  totalMinor: 12_000,
});

const SECOND = invoice({
  id: "inv-3002",
  number: "3002",
  client: { id: "cl-32", firstName: "Omar", lastName: "Ortiz" },
  lines: [{ description: "Headshots", quantity: 1, amountMinor: 9_000 }],
  totalMinor: 9_000,
});

function kioskRecords(file: string, invoiceId = INVOICE.id) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        "SELECT id, amount_minor, status, decline_code, method_json FROM payment_records WHERE invoice_id = ?",
      )
      .all(invoiceId) as {
      id: string;
      amount_minor: number;
      status: string;
      decline_code: string | null;
      method_json: string;
    }[];
  } finally {
    db.close();
  }
}

describe("a client pays at Stripe's smart reader, in Chromium", () => {
  let stripe: RunningStripeSimulator;
  let helper: Stripe;
  let screen: KioskScreen;
  let reader: string;
  const keys = scratchDir("spectra-reader-key-");

  beforeAll(async () => {
    stripe = await startStripeSimulator();
    reader = stripe.readers[0] as string;
    // The client's card at the reader: Stripe's test helper, straight to Stripe.
    helper = new Stripe(stripe.secretKey, { host: stripe.host, port: stripe.port, protocol: "http" });
    const apiKeyFile = join(keys.path, "stripe.key");
    writeFileSync(apiKeyFile, stripe.restrictedKey(KIOSK_GRANT));
    chmodSync(apiKeyFile, 0o600);
    screen = await startKioskScreen({
      deviceId: "kiosk-ui-reader",
      invoices: [INVOICE, SECOND],
      extra: {
        processor: {
          kind: "stripe",
          apiKeyFile,
          readerId: reader,
          endpoint: { host: stripe.host, port: stripe.port, protocol: "http" },
          pollMs: 100,
          collectTimeoutMs: 30_000,
          readerStatusMs: 1_000,
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await screen?.stop();
    await stripe?.close();
    keys.remove();
  });

  const present = (number: string) =>
    helper.testHelpers.terminal.readers.presentPaymentMethod(reader, { card_present: { number } });
  const phase = () => screen.page.getByTestId("swipe-phase").getAttribute("data-phase");

  async function toTheReader(number: string, lastName: string): Promise<void> {
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys(number);
    await screen.tap("field-lastName");
    await screen.typeKeys(lastName);
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    await screen.tap("pay");
    await screen.waitForScreen("self.amount");
    await screen.tap("pay-balance");
    await screen.waitForScreen("self.method");
    await screen.tap("method-card");
    await screen.waitForScreen("self.swipe");
    await expect.poll(phase, { timeout: 10_000 }).toBe("reader-waiting");
  }

  it("shows the smart reader on the status bar, and when it goes offline", async () => {
    const item = screen.page.getByTestId("status-smart-reader");
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toBe("Card reader ready");
    stripe.setReaderStatus(reader, "offline");
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toBe("Card reader offline");
    await screen.shoot("ui-status-reader-offline");
    stripe.setReaderStatus(reader, "online");
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toBe("Card reader ready");
  }, 30_000);

  it("a client taps a card: declined with its reason, then approved on a second card", async () => {
    await toTheReader("3001", "DIAZ");
    expect(await screen.page.getByTestId("reader-prompt").textContent()).toBe(
      "Insert, tap or swipe your card",
    );
    await screen.shoot("ui-self-reader-waiting");

    await present("4000000000009995");
    await expect.poll(phase, { timeout: 10_000 }).toBe("declined");
    expect(await screen.page.getByTestId("swipe-reason").textContent()).toBe(
      "Not enough funds on this card. Try another card or a smaller amount.",
    );
    await screen.shoot("ui-self-reader-declined");

    await screen.tap("retry");
    await expect.poll(phase, { timeout: 10_000 }).toBe("reader-waiting");
    await present("5555555555554444");
    await screen.waitForScreen("self.receipt");
    expect(await screen.page.getByTestId("approved").textContent()).toContain("$120.00");
    await screen.shoot("ui-self-reader-approved");

    const records = kioskRecords(screen.databaseFile);
    const paid = records.filter((record) => record.status === "completed");
    expect(paid).toHaveLength(1);
    expect(
      records.filter((record) => record.status === "declined").map((record) => record.decline_code),
    ).toEqual(["PROCESSOR_INSUFFICIENT_FUNDS"]);
    const method = JSON.parse(paid[0]?.method_json ?? "{}") as Record<string, unknown>;
    expect(method).toMatchObject({ type: "card", brand: "Mastercard", maskedPan: null });
    const intent = stripe.books.paymentIntents.get(String(method.processorReference));
    expect(intent).toMatchObject({ status: "succeeded", amount: 12_000 });
    expect(intent?.metadata[KEY_METADATA]).toBe(`sale:${paid[0]?.id}`);
    await screen.tap("no-receipt");
    await screen.waitForScreen("self.thank-you");
    await screen.tap("done");
    await screen.waitForScreen("self.attract");
  }, 60_000);

  it("a client cancels at the screen: the reader stops collecting and nothing is charged", async () => {
    const before = stripe.books.paymentIntents.size;
    await toTheReader("3002", "ORTIZ");
    await screen.tap("cancel");
    await screen.waitForScreen("self.method");
    const made = [...stripe.books.paymentIntents.values()].slice(before);
    expect(made.map((intent) => intent.status)).toEqual(["canceled"]);
    expect(stripe.books.readers.get(reader)?.action).toMatchObject({
      status: "failed",
      failure_code: "canceled",
    });
    await expect(present("4242424242424242")).rejects.toThrow(/not collecting a payment/);
  }, 60_000);

  it("staff take a card on the reader at the desk, cancel a collection, and try again", async () => {
    // Back from the methods the client left the screen on, to the attract screen's Staff button.
    for (let step = 0; step < 4 && (await screen.screenName()) !== "self.attract"; step += 1) {
      const name = await screen.screenName();
      await screen.tap(name === "self.summary" ? "cancel" : "back");
      await screen.page.waitForFunction(`document.body.dataset.screen !== ${JSON.stringify(name)}`);
    }
    await signIn(screen, MANAGER_PIN);
    await openInvoice(screen, "3002");
    await screen.tap("method-card");
    await screen.tap("entry-swiped");
    await screen.tap("save-close");
    await screen.waitForScreen("staff.card-swipe");
    const step = () => screen.page.getByTestId("reader-step").getAttribute("data-step");
    await expect.poll(step, { timeout: 10_000 }).toBe("waiting");
    await screen.shoot("ui-staff-reader-waiting");
    await screen.tap("cancel-reader");
    await expect
      .poll(() => screen.page.getByTestId("swipe-error").textContent(), { timeout: 10_000 })
      .toContain("cancelled");
    await screen.tap("retry");
    await expect.poll(step, { timeout: 10_000 }).toBe("waiting");
    await present("378282246310005");
    await screen.waitForScreen("staff.saved");
    const all = kioskRecords(screen.databaseFile, SECOND.id);
    const paid = all.filter((record) => record.status === "completed" && record.amount_minor === 9_000);
    expect(paid, JSON.stringify(all)).toHaveLength(1);
    expect(JSON.parse(paid[0]?.method_json ?? "{}")).toMatchObject({ brand: "American Express" });
  }, 60_000);
});
