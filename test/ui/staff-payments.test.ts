import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CARDS } from "../../src/drivers/card-reader/fixtures/test-cards.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { invoice } from "../helpers/payments.js";
import { kioskRecords, MANAGER_PIN, openInvoice, signIn, waitForText } from "../helpers/staff-screen.js";

const PORTRAITS = invoice({ id: "inv-s1", number: "S-1001", totalMinor: 25_000 });
const ALBUM = invoice({
  id: "inv-s2",
  number: "S-2002",
  client: { id: "client-2", firstName: "Bo", lastName: "Li" },
  totalMinor: 90_000,
  lines: [{ description: "Wedding album", quantity: 1, amountMinor: 90_000 }],
});

const latest = (screen: KioskScreen) => kioskRecords(screen.databaseFile).at(-1);

describe("staff at the touchscreen take payments and refunds, in Chromium", () => {
  let screen: KioskScreen;

  beforeAll(async () => {
    // Debug logs carry the simulated GPIO's relay levels: the drawer pulse, seen from outside the kiosk.
    screen = await startKioskScreen({ invoices: [PORTRAITS, ALBUM], extra: { log: { level: "debug" } } });
    await screen.tap("staff");
    await screen.waitForScreen("staff.sign-in");
    await screen.typeKeys("12");
    await screen.shoot("ui-staff-sign-in");
    await screen.tap("key-clear");
    await screen.tap("back");
    await screen.waitForScreen("self.attract");
    await signIn(screen, MANAGER_PIN);
    await screen.shoot("ui-staff-home");
  }, 60_000);
  afterAll(async () => {
    await screen?.stop();
  });

  it("takes cash: quick cash, the change due in large type, the record on disk, the drawer pulse at the GPIO simulator", async () => {
    await screen.tap("home-new-payment");
    await screen.waitForScreen("staff.invoice-lookup");
    await screen.typeKeys("S-1001");
    await screen.shoot("ui-staff-invoice-lookup");
    await screen.tap("find");
    await screen.waitForScreen("staff.payment-form");
    await waitForText(screen, "form-invoice", "S-1001");
    await waitForText(screen, "amount-value", "$250.00");

    // A part payment of $187.50, typed cash-register style.
    await screen.tap("key-clear");
    await screen.typeKeys("18750");
    await waitForText(screen, "amount-value", "$187.50");
    await screen.tap("method-cash");
    await screen.tap("quick-cash-20000");
    await waitForText(screen, "change-due", "$12.50");
    await screen.shoot("ui-staff-form-cash");

    await screen.tap("save-close");
    await screen.waitForScreen("staff.saved");
    await waitForText(screen, "saved-change", "$12.50");
    await screen.page.waitForSelector('[data-testid="drawer-state"][data-state="opened"]', { timeout: 5000 });
    await screen.shoot("ui-staff-saved-cash");

    const record = latest(screen);
    expect(record).toMatchObject({
      kind: "payment",
      amount_minor: 18_750,
      status: "completed",
      staff_id: "mgr",
    });
    expect(JSON.parse(record?.method_json ?? "{}")).toMatchObject({
      type: "cash",
      amountTendered: { minor: 20_000 },
      changeDue: { minor: 1_250 },
    });
    // The relay went on, then off: one pulse, logged by the simulated GPIO in the kiosk process.
    const pulse = screen.kiosk
      .output()
      .split("\n")
      .filter((line) => line.includes("simulated GPIO pin 17 set to"));
    expect(pulse.map((line) => /set to (\d)/.exec(line)?.[1])).toEqual(["1", "0"]);
    await screen.tap("done");
    await screen.waitForScreen("staff.home");
  });

  it("records a check, showing the rule's coded error beside the check number until it is given", async () => {
    await openInvoice(screen, "S-1001");
    await waitForText(screen, "amount-value", "$62.50");
    await screen.tap("method-check");
    await screen.tap("save-close");
    await screen.page.waitForSelector(
      '[data-testid="error-checkNumber"][data-code="PAYMENT_CHECK_NUMBER_INVALID"]',
    );
    expect(await screen.page.getByTestId("field-checkNumber").getAttribute("aria-invalid")).toBe("true");
    await screen.shoot("ui-staff-form-error");
    // The kiosk owns the form: a reload brings back the same fields and the same error.
    await screen.page.reload();
    await screen.waitForScreen("staff.payment-form");
    await screen.page.waitForSelector(
      '[data-testid="error-checkNumber"][data-code="PAYMENT_CHECK_NUMBER_INVALID"]',
    );
    await waitForText(screen, "amount-value", "$62.50");
    await screen.typeKeys("1042");
    await screen.tap("save-close");
    await screen.waitForScreen("staff.saved");
    await waitForText(screen, "saved-amount", "$62.50");
    const record = latest(screen);
    expect(record).toMatchObject({
      kind: "payment",
      amount_minor: 6_250,
      method_type: "check",
      status: "completed",
    });
    expect(JSON.parse(record?.method_json ?? "{}")).toEqual({ type: "check", checkNumber: "1042" });
    await screen.tap("done");
  });

  it("records a refund of the cash payment", async () => {
    const cash = kioskRecords(screen.databaseFile).find((row) => row.method_type === "cash");
    await openInvoice(screen, "S-1001");
    await screen.tap("kind-refund");
    await screen.tap("field-refundOf");
    await screen.page.getByTestId("refund-of-menu").waitFor();
    await screen.shoot("ui-staff-refund-of");
    await screen.tap(`refund-of-${cash?.id}`);
    await screen.tap("field-amount");
    await screen.tap("key-clear");
    await screen.typeKeys("2000");
    await screen.shoot("ui-staff-form-refund");
    await screen.tap("save-close");
    await screen.waitForScreen("staff.saved");
    await waitForText(screen, "saved-amount", "$20.00");
    expect(latest(screen)).toMatchObject({
      kind: "refund",
      refund_of: cash?.id,
      amount_minor: 2_000,
      method_type: "cash",
      status: "completed",
    });
    await screen.tap("done");
  });

  it("schedules a future payment with a due date from the date picker, refundable until a later date", async () => {
    await openInvoice(screen, "S-2002");
    await screen.tap("key-clear");
    await screen.typeKeys("30000");
    await screen.tap("toggle-future");
    await screen.page.getByTestId("date-picker").waitFor();
    await screen.tap("month-next");
    await screen.shoot("ui-staff-date-picker");
    const due = (
      await screen.page.locator('[data-testid^="day-"][data-testid$="-15"]').getAttribute("data-testid")
    )?.slice(4);
    await screen.tap(`day-${due}`);
    await screen.tap("toggle-refundable");
    await screen.tap("field-refundableUntil");
    await screen.tap(`day-${due?.slice(0, 8)}20`);
    await screen.tap("method-cash");
    await screen.shoot("ui-staff-form-future");
    await screen.tap("save-close");
    await screen.waitForScreen("staff.saved");
    await screen.shoot("ui-staff-saved-future");
    expect(latest(screen)).toMatchObject({
      kind: "payment",
      amount_minor: 30_000,
      status: "scheduled",
      future_payment: 1,
      due_date: due,
      payment_date: null,
      refundable: 1,
      refundable_until: `${due?.slice(0, 8)}20`,
    });
    await screen.tap("done");
  });

  it("takes a card with a manual authorization code after choosing the card type", async () => {
    await openInvoice(screen, "S-2002");
    await screen.tap("key-clear");
    await screen.typeKeys("15000");
    await screen.tap("method-card");
    await screen.page.getByTestId("card-type-menu").waitFor();
    await screen.shoot("ui-staff-card-type");
    await screen.tap("card-type-Mastercard");
    await screen.tap("entry-manual");
    await screen.typeKeys("AB12C3");
    await screen.shoot("ui-staff-form-card");
    await screen.tap("save-close");
    await screen.waitForScreen("staff.saved");
    const record = latest(screen);
    expect(record).toMatchObject({
      kind: "payment",
      amount_minor: 15_000,
      method_type: "card",
      status: "completed",
    });
    expect(JSON.parse(record?.method_json ?? "{}")).toMatchObject({
      entryMode: "manual",
      authorizationCode: "AB12C3",
      cardType: "Mastercard",
    });
    await screen.tap("done");
  });

  it("takes a swiped card through the processor", async () => {
    await openInvoice(screen, "S-2002");
    await screen.tap("key-clear");
    await screen.typeKeys("5000");
    await screen.tap("method-card");
    await screen.tap("card-type-Visa");
    await screen.tap("entry-swiped");
    await screen.tap("save-close");
    await screen.waitForScreen("staff.card-swipe");
    await screen.shoot("ui-staff-card-swipe");
    await screen.swipe(TEST_CARDS.visa);
    await screen.waitForScreen("staff.saved", 15_000);
    const record = latest(screen);
    expect(record).toMatchObject({ amount_minor: 5_000, method_type: "card", status: "completed" });
    const method = JSON.parse(record?.method_json ?? "{}") as {
      entryMode: string;
      maskedPan: string;
      processorReference: string | null;
    };
    expect(method.entryMode).toBe("swiped");
    expect(method.maskedPan).toMatch(/^411111\*+1111$/);
    expect(method.processorReference).not.toBeNull();
    await screen.tap("done");
  });

  it("keys a card on the processor's hosted form; the kiosk never sees the number", async () => {
    const approved = "5424000000000015"; // Authorize.Net's sandbox Mastercard
    await openInvoice(screen, "S-2002");
    await screen.tap("key-clear");
    await screen.typeKeys("2500");
    await screen.tap("method-card");
    await screen.tap("card-type-Visa");
    await screen.tap("entry-keyed");
    await screen.tap("save-close");
    await screen.waitForScreen("staff.keyed-entry");
    const page = screen.page.frameLocator('[data-testid="hosted-page"]');
    await page.getByLabel("Card number").waitFor();
    // Shot before typing: not even a test card's number goes into the docs.
    await screen.shoot("ui-staff-keyed-entry");
    await page.getByLabel("Card number").fill(approved);
    await page.getByLabel("Expiration date").fill("10/32");
    await page.getByLabel("Card code").fill("999");
    await page.getByRole("button").click();
    await screen.waitForScreen("staff.saved", 15_000);
    const record = latest(screen);
    expect(record).toMatchObject({ amount_minor: 2_500, method_type: "card", status: "completed" });
    expect(JSON.parse(record?.method_json ?? "{}")).toMatchObject({ entryMode: "keyed" });
    expect(screen.kiosk.output()).not.toContain(approved);
    await screen.tap("done");
  });
});
