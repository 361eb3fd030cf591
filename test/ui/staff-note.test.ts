import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { invoice } from "../helpers/payments.js";
import { kioskQuery, MANAGER_PIN, openInvoice, signIn, waitForText } from "../helpers/staff-screen.js";

const SESSION = invoice({ id: "inv-n1", number: "N-1001", totalMinor: 15_000 });

describe("a note on the staff payment form, in Chromium", () => {
  let screen: KioskScreen;

  beforeAll(async () => {
    screen = await startKioskScreen({ deviceId: "kiosk-note", invoices: [SESSION] });
    await signIn(screen, MANAGER_PIN);
  }, 60_000);
  afterAll(() => screen?.stop());

  it("typed on the letter pad beside the form, it is stored in the record's note; a card number is refused beside it", async () => {
    await openInvoice(screen, "N-1001");
    await screen.tap("method-cash");
    await screen.tap("quick-cash-15000");
    await screen.tap("field-note");
    // A card number in the note: refused beside the field, nothing written.
    await screen.typeKeys("4111111111111111");
    await screen.tap("save-close");
    await screen.page.getByTestId("error-note").waitFor();
    expect(
      kioskQuery<{ n: number }>(screen.databaseFile, "SELECT COUNT(*) AS n FROM payment_records")[0]?.n,
    ).toBe(0);
    await screen.tap("key-clear");
    await screen.typeKeys("PAID BY HER DAD");
    await waitForText(screen, "note-value", "PAID BY HER DAD");
    await screen.shoot("ui-staff-form-note");
    await screen.tap("save-close");
    await screen.waitForScreen("staff.saved");
    const [record] = kioskQuery<{ note: string | null; status: string }>(
      screen.databaseFile,
      "SELECT note, status FROM payment_records",
    );
    expect(record).toEqual({ note: "PAID BY HER DAD", status: "completed" });
  }, 40_000);
});
