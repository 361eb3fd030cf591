import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoiceReference } from "../../src/processors/authorize-net/invoice-reference.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { invoice } from "../helpers/payments.js";
import { kioskQuery, kioskRecords, MANAGER_PIN, openInvoice, signIn } from "../helpers/staff-screen.js";
import { until } from "../helpers/wait.js";

const ALBUM = invoice({
  id: "inv-k1",
  number: "K-1001",
  client: { id: "client-k1", firstName: "Ro", lastName: "Vega" },
  totalMinor: 90_000,
  lines: [{ description: "Wedding album", quantity: 1, amountMinor: 90_000 }],
});
const KEYED = "5424000000000015";

/**
 * A keyed card through Authorize.Net: the staff screen's frame opens Authorize.Net's hosted form (its
 * token posted by the screen server's relay page, the screen itself allowing no form posts), staff
 * key the card there, and the kiosk charges the saved profile under the payment's intent.
 */
describe("staff key a card on Authorize.Net's hosted form, in Chromium", () => {
  let screen: KioskScreen;

  beforeAll(async () => {
    screen = await startKioskScreen({ invoices: [ALBUM] });
    await signIn(screen, MANAGER_PIN);
  }, 60_000);
  afterAll(async () => {
    await screen?.stop();
  });

  /** A card payment of `amount` keyed in the frame, with the client's consent to keep the card or not. */
  async function payKeyed(amount: string, saveCard: boolean): Promise<void> {
    await openInvoice(screen, "K-1001");
    await screen.tap("key-clear");
    await screen.typeKeys(amount);
    await screen.tap("method-card");
    await screen.tap("card-type-Visa");
    await screen.tap("entry-keyed");
    if (saveCard) await screen.tap("toggle-save-card");
    await screen.tap("save-close");
    await screen.waitForScreen("staff.keyed-entry");
    const frame = screen.page.frameLocator('[data-testid="hosted-page"]');
    await frame.getByLabel("Card number").waitFor();
    await frame.getByLabel("Card number").fill(KEYED);
    await frame.getByLabel("Expiration date").fill("10/32");
    await frame.getByLabel("Card code").fill("999");
    await frame.getByRole("button").click();
    await screen.waitForScreen("staff.saved", 15_000);
  }

  const chargeOf = (recordId: string | undefined) =>
    [...screen.processor.books.transactions.values()].find(
      (transaction) => transaction.invoiceNumber === invoiceReference(`sale:${recordId}`),
    );

  it("charges the card keyed in the frame; the kiosk never sees the number", async () => {
    await payKeyed("2500", false);
    const record = kioskRecords(screen.databaseFile).at(-1);
    expect(record).toMatchObject({ amount_minor: 2_500, method_type: "card", status: "completed" });
    const method = JSON.parse(record?.method_json ?? "{}") as {
      entryMode: string;
      processorReference: string;
    };
    expect(method.entryMode).toBe("keyed");
    // Authorize.Net holds the charge of the keyed card's profile, under the record's reference.
    const charge = chargeOf(record?.id);
    expect(charge).toMatchObject({ transId: method.processorReference, amountMinor: 2_500 });
    expect(charge?.profile).not.toBeNull();
    expect(screen.kiosk.output()).not.toContain(KEYED);
    expect(record?.method_json).not.toContain(KEYED);
    // The client did not agree to keep the card: the profile the form stored is deleted.
    const profileId = charge?.profile?.customerProfileId ?? "";
    await until(() => !screen.processor.books.profiles.has(profileId), "the keyed card deleted", 10_000);
    await screen.tap("done");
  });

  it("keeps the keyed card as the client's saved card when they agree", async () => {
    await payKeyed("1500", true);
    const record = kioskRecords(screen.databaseFile).at(-1);
    expect(record).toMatchObject({ amount_minor: 1_500, status: "completed" });
    const profileId = chargeOf(record?.id)?.profile?.customerProfileId ?? "";
    await until(
      () =>
        kioskQuery<{ last4: string }>(
          screen.databaseFile,
          "SELECT last4 FROM saved_cards WHERE client_id = 'client-k1'",
        ).length === 1,
      "the client's saved card on the kiosk",
      10_000,
    );
    expect(
      kioskQuery(screen.databaseFile, "SELECT last4 FROM saved_cards WHERE client_id = 'client-k1'"),
    ).toEqual([{ last4: KEYED.slice(-4) }]);
    expect(screen.processor.books.profiles.has(profileId)).toBe(true);
    expect(kioskQuery(screen.databaseFile, "SELECT state FROM keyed_entries ORDER BY opened_at")).toEqual([
      { state: "deleted" },
      { state: "kept" },
    ]);
    await screen.tap("done");
  });
});
