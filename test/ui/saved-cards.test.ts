import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RunningStripeSimulator,
  startStripeSimulator,
} from "../../src/processors/stripe-simulator/stripe-simulator.js";
import { KIOSK_GRANT } from "../fixtures/stripe-test-cards.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { invoice } from "../helpers/payments.js";
import { kioskQuery, MANAGER_PIN, openInvoice, signIn } from "../helpers/staff-screen.js";

const CLIENT = { id: "cl-41", firstName: "Lucía", lastName: "Vega" };
const FIRST = invoice({
  id: "inv-4001",
  number: "4001",
  client: CLIENT,
  lines: [{ description: "Newborn session", quantity: 1, amountMinor: 15_000 }],
  totalMinor: 15_000,
});
const SECOND = invoice({
  id: "inv-4002",
  number: "4002",
  client: CLIENT,
  lines: [{ description: "Album", quantity: 1, amountMinor: 8_000 }],
  totalMinor: 8_000,
});

interface SavedCardRow {
  token: string;
  client_id: string;
  brand: string | null;
  last4: string;
  consent_by: string | null;
  consent_at: string | null;
}

/**
 * Saving a card needs the client's consent, in Chromium against the kiosk process and the Stripe
 * simulator: the box is off until ticked, a card paid with it ticked is saved to the client's Stripe
 * customer with the consent kept, and staff then charge that saved card for another invoice.
 */
describe("a client saves a card at the reader; staff charge it later, in Chromium", () => {
  let stripe: RunningStripeSimulator;
  let helper: Stripe;
  let screen: KioskScreen;
  let reader: string;
  const keys = scratchDir("spectra-saved-card-key-");

  beforeAll(async () => {
    stripe = await startStripeSimulator();
    reader = stripe.readers[0] as string;
    helper = new Stripe(stripe.secretKey, { host: stripe.host, port: stripe.port, protocol: "http" });
    const apiKeyFile = join(keys.path, "stripe.key");
    writeFileSync(apiKeyFile, stripe.restrictedKey(KIOSK_GRANT));
    chmodSync(apiKeyFile, 0o600);
    screen = await startKioskScreen({
      deviceId: "kiosk-ui-saved-cards",
      invoices: [FIRST, SECOND],
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

  const savedCards = () =>
    kioskQuery<SavedCardRow>(
      screen.databaseFile,
      "SELECT token, client_id, brand, last4, consent_by, consent_at FROM saved_cards",
    );
  const consentBox = () => screen.page.getByTestId("save-card");

  it("the client ticks 'Save this card for future payments' and pays at the reader: the card is kept with the consent", async () => {
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("4001");
    await screen.tap("field-lastName");
    await screen.typeKeys("VEGA");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    await screen.tap("pay");
    await screen.waitForScreen("self.amount");
    await screen.tap("pay-balance");
    await screen.waitForScreen("self.method");
    // Off until the client ticks it.
    expect(await consentBox().getAttribute("aria-pressed")).toBe("false");
    expect(await consentBox().textContent()).toContain("Save this card for future payments");
    await screen.tap("save-card");
    await expect.poll(() => consentBox().getAttribute("aria-pressed")).toBe("true");
    await screen.shoot("ui-self-save-card");
    await screen.page.setViewportSize({ width: 1280, height: 800 });
    await screen.shoot("ui-self-save-card-1280x800");
    await screen.tap("locale");
    await expect.poll(() => consentBox().textContent()).toContain("Guardar esta tarjeta para pagos futuros");
    await screen.shoot("ui-self-save-card-es-1280x800");
    await screen.page.setViewportSize({ width: 800, height: 480 });
    await screen.shoot("ui-self-save-card-es");
    await screen.tap("locale");
    await expect.poll(() => consentBox().textContent()).toContain("Save this card");

    await screen.tap("method-card");
    await screen.waitForScreen("self.swipe");
    await expect
      .poll(() => screen.page.getByTestId("swipe-phase").getAttribute("data-phase"), { timeout: 10_000 })
      .toBe("reader-waiting");
    expect(await screen.page.getByTestId("saving-card").textContent()).toBe(
      "This card will be saved for future payments.",
    );
    await helper.testHelpers.terminal.readers.presentPaymentMethod(reader, {
      card_present: { number: "5555555555554444" },
    });
    await screen.waitForScreen("self.receipt");

    await expect.poll(() => savedCards().length, { timeout: 10_000 }).toBe(1);
    const [card] = savedCards();
    expect(card).toMatchObject({
      client_id: CLIENT.id,
      brand: "Mastercard",
      last4: "4444",
      consent_by: "client",
    });
    expect(Date.parse(String(card?.consent_at))).toBeGreaterThan(Date.now() - 120_000);
    const method = await helper.paymentMethods.retrieve(String(card?.token));
    const customer = await helper.customers.retrieve(String(method.customer));
    expect(customer).toMatchObject({ metadata: { spectra_client_id: CLIENT.id } });
    await screen.tap("no-receipt");
    await screen.waitForScreen("self.thank-you");
    await screen.tap("done");
    await screen.waitForScreen("self.attract");
  }, 90_000);

  it("staff charge the client's saved card for another invoice: the card's details fill the record", async () => {
    await signIn(screen, MANAGER_PIN);
    await openInvoice(screen, "4002");
    await screen.tap("method-card");
    const list = screen.page.getByTestId("saved-cards");
    await expect.poll(() => list.textContent()).toContain("Mastercard ···· 4444");
    await screen.tap("saved-card-4444");
    await expect
      .poll(() => screen.page.getByTestId("saved-card-4444").getAttribute("aria-pressed"))
      .toBe("true");
    await screen.shoot("ui-staff-saved-card");
    await screen.page.setViewportSize({ width: 1280, height: 800 });
    await screen.shoot("ui-staff-saved-card-1280x800");
    await screen.page.setViewportSize({ width: 800, height: 480 });
    const before = stripe.books.paymentIntents.size;
    await screen.tap("save-close");
    await screen.waitForScreen("staff.saved");

    const [record] = kioskQuery<{ status: string; amount_minor: number; method_json: string }>(
      screen.databaseFile,
      "SELECT status, amount_minor, method_json FROM payment_records WHERE invoice_id = 'inv-4002'",
    );
    expect(record).toMatchObject({ status: "completed", amount_minor: 8_000 });
    const fields = JSON.parse(String(record?.method_json)) as Record<string, unknown>;
    expect(fields).toMatchObject({
      type: "card",
      brand: "Mastercard",
      cardType: "Mastercard",
      entryMode: "keyed",
    });
    const [card] = savedCards();
    const made = [...stripe.books.paymentIntents.values()].slice(before);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      status: "succeeded",
      amount: 8_000,
      payment_method: card?.token,
      customer: (await helper.paymentMethods.retrieve(String(card?.token))).customer,
    });
    expect(fields.processorReference).toBe(made[0]?.id);
  }, 90_000);
});
