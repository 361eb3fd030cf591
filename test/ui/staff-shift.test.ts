import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { invoice } from "../helpers/payments.js";
import {
  CASHIER_PIN,
  kioskQuery,
  kioskRecords,
  MANAGER_PIN,
  openInvoice,
  signIn,
  waitForText,
} from "../helpers/staff-screen.js";

const LOCKOUT_SECONDS = 10;
const SESSIONS = invoice({ id: "inv-t1", number: "T-3003", totalMinor: 50_000 });

async function signOut(screen: KioskScreen, expected: "self.attract" | "common.out-of-service") {
  await screen.tap("sign-out");
  await screen.waitForScreen(expected);
}

describe("the staff shift at the touchscreen, in Chromium", () => {
  let screen: KioskScreen;

  beforeAll(async () => {
    screen = await startKioskScreen({
      invoices: [SESSIONS],
      extra: {
        ui: {
          host: "127.0.0.1",
          port: 0,
          idleTimeoutSeconds: 120,
          signIn: { maxFailedPins: 5, lockoutSeconds: LOCKOUT_SECONDS },
        },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await screen?.stop();
  });

  it("locks sign-in after five wrong PINs, even across visits, until the configured time has passed", async () => {
    await screen.tap("staff");
    await screen.waitForScreen("staff.sign-in");
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await screen.typeKeys("9999");
      await screen.tap("sign-in");
      await waitForText(screen, "sign-in-error", `${attempt} of 5`);
    }
    await screen.typeKeys("9999");
    await screen.tap("sign-in");
    const lockedAt = Date.now();
    await screen.page.getByTestId("sign-in-locked").waitFor();
    await screen.shoot("ui-staff-sign-in-locked");

    // The right PIN changes nothing while locked, and leaving and coming back does not lift the lock.
    await screen.tap("key-1");
    expect(await screen.page.getByTestId("pin-dots").getAttribute("data-length")).toBe("0");
    expect(await screen.page.getByTestId("sign-in").isDisabled()).toBe(true);
    await screen.tap("back");
    await screen.waitForScreen("self.attract");
    await screen.tap("staff");
    await screen.waitForScreen("staff.sign-in");
    await screen.page.getByTestId("sign-in-locked").waitFor();

    await screen.page
      .getByTestId("sign-in-locked")
      .waitFor({ state: "detached", timeout: LOCKOUT_SECONDS * 1000 + 3000 });
    expect(Date.now() - lockedAt).toBeGreaterThanOrEqual(LOCKOUT_SECONDS * 1000 - 1000);
    await screen.typeKeys(MANAGER_PIN);
    await screen.tap("sign-in");
    await screen.waitForScreen("staff.home");
  }, 40_000);

  it("a manager voids a record of the shift after confirming", async () => {
    for (const [method, amount, extra] of [
      ["cash", "10000", null],
      ["check", "5000", "777"],
    ] as const) {
      await openInvoice(screen, "T-3003");
      await screen.tap("key-clear");
      await screen.typeKeys(amount);
      await screen.tap(`method-${method}`);
      if (extra) await screen.typeKeys(extra);
      await screen.tap("save-close");
      await screen.waitForScreen("staff.saved");
      await screen.tap("done");
      await screen.waitForScreen("staff.home");
    }
    const check = kioskRecords(screen.databaseFile).find((row) => row.method_type === "check");
    await screen.tap("home-void");
    await screen.waitForScreen("staff.void-list");
    await screen.page.getByTestId(`void-${check?.id}`).waitFor();
    await screen.shoot("ui-staff-void-list");
    await screen.tap(`void-${check?.id}`);
    await screen.waitForScreen("staff.confirm");
    await waitForText(screen, "confirm-question", "$50.00");
    await screen.shoot("ui-staff-confirm-void");
    await screen.tap("confirm-yes");
    await screen.waitForScreen("staff.void-list");
    await screen.page.getByTestId("void-done").waitFor();
    expect(kioskRecords(screen.databaseFile).find((row) => row.id === check?.id)?.status).toBe("voided");
    await screen.tap("back");
    await screen.waitForScreen("staff.home");
  });

  it("shows the shift (X) report: totals by method, voids and the cash expected", async () => {
    await screen.tap("home-report-x");
    await screen.waitForScreen("staff.report");
    await waitForText(screen, "report-payments", "$100.00");
    await waitForText(screen, "report-voids", "$50.00");
    await waitForText(screen, "report-expected-cash", "$100.00");
    await waitForText(screen, "report-method-cash", "$100.00");
    await screen.shoot("ui-staff-report-x");
    await screen.tap("back");
    await screen.waitForScreen("staff.home");
  });

  it("records a drawer count and its difference", async () => {
    await screen.tap("home-drawer-count");
    await screen.waitForScreen("staff.drawer-count");
    await waitForText(screen, "count-expected", "$100.00");
    await screen.typeKeys("9950");
    await screen.tap("count-save");
    await waitForText(screen, "count-difference", "$0.50");
    expect(await screen.page.getByTestId("count-difference").getAttribute("data-minor")).toBe("-50");
    await screen.shoot("ui-staff-drawer-count");
    expect(
      kioskQuery<{
        counted_minor: number;
        expected_minor: number;
        difference_minor: number;
        counted_by: string;
      }>(
        screen.databaseFile,
        "SELECT counted_minor, expected_minor, difference_minor, counted_by FROM drawer_counts",
      ),
    ).toEqual([{ counted_minor: 9_950, expected_minor: 10_000, difference_minor: -50, counted_by: "mgr" }]);
    await screen.tap("count-done");
    await screen.waitForScreen("staff.home");
  });

  it("closes the day with the Z report; the next shift starts empty", async () => {
    await screen.tap("home-report-z");
    await screen.waitForScreen("staff.confirm");
    await screen.tap("confirm-yes");
    await screen.waitForScreen("staff.report");
    await waitForText(screen, "report-expected-cash", "$100.00");
    expect(await screen.page.getByTestId("report").getAttribute("data-kind")).toBe("z");
    await screen.page.getByTestId("report-count").waitFor();
    await screen.shoot("ui-staff-report-z");
    const shifts = kioskQuery<{ closed: number }>(
      screen.databaseFile,
      "SELECT closed_at IS NOT NULL AS closed FROM shifts ORDER BY opened_at",
    );
    expect(shifts.map((shift) => shift.closed)).toEqual([1, 0]);
    await screen.tap("back");
    await screen.tap("home-report-x");
    await waitForText(screen, "report-payments", "$0.00");
    await screen.tap("back");
    await screen.waitForScreen("staff.home");
  });

  it("locks the kiosk: Out of service until a manager unlocks it", async () => {
    await screen.tap("home-lock");
    await screen.waitForScreen("staff.confirm");
    await screen.shoot("ui-staff-confirm-lock");
    await screen.tap("confirm-yes");
    await screen.waitForScreen("staff.home");
    await screen.page.getByTestId("kiosk-locked").waitFor();
    await screen.shoot("ui-staff-home-locked");
    await signOut(screen, "common.out-of-service");
    await screen.shoot("ui-staff-out-of-service");
    const lock = kioskQuery<{ value: string }>(
      screen.databaseFile,
      "SELECT value FROM device_state WHERE key = 'kiosk.lock'",
    );
    expect(JSON.parse(lock[0]?.value ?? "{}")).toMatchObject({ locked: true, by: "mgr" });

    // A cashier can sign in but not unlock, and takes no payments meanwhile.
    await signIn(screen, CASHIER_PIN);
    expect(await screen.page.getByTestId("home-unlock").count()).toBe(0);
    expect(await screen.page.getByTestId("home-new-payment").count()).toBe(0);
    expect(await screen.page.getByTestId("home-void").count()).toBe(0);
    await signOut(screen, "common.out-of-service");

    await signIn(screen, MANAGER_PIN);
    await screen.tap("home-unlock");
    await screen.waitForScreen("staff.confirm");
    await screen.tap("confirm-yes");
    await screen.waitForScreen("staff.home");
    await screen.page.getByTestId("home-new-payment").waitFor();
    await signOut(screen, "self.attract");
  });

  it("shows what needs a person — nothing, then a record central refused, with its code — and goes back home", async () => {
    await signIn(screen, CASHIER_PIN);
    await screen.tap("home-attention");
    await screen.waitForScreen("staff.attention");
    await screen.page.getByText("Nothing needs attention.").waitFor();
    await screen.tap("back");
    await screen.waitForScreen("staff.home");

    // Central refuses one of this shift's records (as its ack would say): the kiosk keeps showing it.
    const store = openKioskStore({
      path: screen.databaseFile,
      deviceId: "kiosk-test",
      clock: systemClock,
      logger: createMemoryLogger(),
    });
    const [refused] = store.outbox.pending(1);
    if (!refused) throw new Error("the shift has no record to refuse");
    store.outbox.markSynced(
      [
        {
          recordId: refused.recordId,
          revision: refused.revision,
          outcome: "rejected",
          code: "SYNC_RECORD_INVALID",
          reason: "amount.minor: above central's maximum",
        },
      ],
      new Date().toISOString(),
    );
    store.close();

    await screen.tap("home-attention");
    await screen.waitForScreen("staff.attention");
    const line = screen.page.getByTestId(`attention-${refused.recordId}`);
    await line.waitFor();
    expect(await line.textContent()).toContain("refused by central");
    expect(await line.textContent()).toContain("SYNC_RECORD_INVALID: amount.minor: above central's maximum");
    await screen.shoot("ui-staff-attention");
    await screen.tap("back");
    await screen.waitForScreen("staff.home");
    await signOut(screen, "self.attract");
  });
});
