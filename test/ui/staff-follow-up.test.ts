import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { cashPayment, invoice } from "../helpers/payments.js";
import { kioskQuery, MANAGER_PIN, signIn, waitForText } from "../helpers/staff-screen.js";
import { ledgerOn, SETTINGS } from "../helpers/store.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-follow-up";
const PLAN = invoice({ id: "inv-f1", number: "7001", totalMinor: 40_000 });

/** Future payments staff promised on 2026-11-20, due on the 25th: all fallen due by the time the test runs. */
function promiseFuturePayments(
  databaseFile: string,
): Record<"cash" | "check" | "elsewhere" | "cancel", string> {
  const clock = fixedClock("2026-11-20T17:00:00Z");
  const store = openKioskStore({ path: databaseFile, deviceId: DEVICE, clock, logger: createMemoryLogger() });
  try {
    const ledger = ledgerOn(store, { ...SETTINGS, deviceId: DEVICE }, clock);
    const promise = (amountMinor: number, method: "cash" | "check"): PaymentRecord =>
      ledger.record(
        cashPayment(amountMinor, {
          invoiceId: PLAN.id,
          futurePayment: true,
          dueDate: "2026-11-25",
          ...(method === "check"
            ? { methodId: "check", methodFields: { type: "check", checkNumber: "1" } }
            : {}),
        }),
        { kind: "staff", staffId: "mgr" },
      );
    return {
      cash: promise(5_000, "cash").id,
      check: promise(6_000, "check").id,
      elsewhere: promise(7_000, "cash").id,
      cancel: promise(8_000, "check").id,
    };
  } finally {
    store.close();
  }
}

interface Row {
  status: string;
  payment_date: string | null;
  method_json: string;
  note: string | null;
  revision: number;
}

describe("staff follow up due future payments from Needs attention, in Chromium", () => {
  let screen: KioskScreen;
  let ids: Record<"cash" | "check" | "elsewhere" | "cancel", string>;
  const row = (id: string): Row | undefined =>
    kioskQuery<Row>(
      screen.databaseFile,
      `SELECT status, payment_date, method_json, note, revision FROM payment_records WHERE id = '${id}'`,
    )[0];
  const trail = (id: string) => ({
    audit: kioskQuery<{ action: string }>(
      screen.databaseFile,
      `SELECT action FROM audit_log WHERE entity_id = '${id}' ORDER BY seq`,
    ).map((entry) => entry.action),
    outbox: kioskQuery<{ revision: number }>(
      screen.databaseFile,
      `SELECT revision FROM outbox WHERE record_id = '${id}' ORDER BY seq`,
    ).map((entry) => entry.revision),
  });

  /** The kiosk answers a touch in turn: wait until the record's next revision is on disk. */
  const revised = (id: string) => until(() => row(id)?.revision === 2, `record ${id} revised`, 5000);

  beforeAll(async () => {
    screen = await startKioskScreen({
      deviceId: DEVICE,
      invoices: [PLAN],
      prepareData: (_dir, databaseFile) => {
        ids = promiseFuturePayments(databaseFile);
      },
    });
    await signIn(screen, MANAGER_PIN);
    await screen.tap("home-attention");
    await screen.waitForScreen("staff.attention");
    await screen.page.getByTestId(`attention-${ids.cancel}`).waitFor();
  }, 60_000);

  afterAll(() => screen.stop());

  it("lists each due payment with its actions; cash is collected with one touch", async () => {
    for (const id of Object.values(ids)) await screen.page.getByTestId(`attention-${id}`).waitFor();
    expect(await screen.page.getByTestId(`collect-cash-${ids.cash}`).count()).toBe(1);
    expect(await screen.page.getByTestId(`collect-check-${ids.check}`).count()).toBe(1);
    expect(await screen.page.getByTestId(`collect-check-${ids.cash}`).count()).toBe(0);
    await screen.shoot("ui-staff-attention-actions");

    await screen.tap(`collect-cash-${ids.cash}`);
    await revised(ids.cash);
    await screen.page.getByTestId(`attention-${ids.check}`).waitFor();
    expect(await screen.page.getByTestId(`attention-${ids.cash}`).count()).toBe(0);
    const collected = row(ids.cash);
    expect(collected).toMatchObject({ status: "completed", revision: 2 });
    expect(collected?.payment_date).toMatch(/^2026-\d\d-\d\d$/);
    expect(JSON.parse(collected?.method_json ?? "{}")).toMatchObject({ amountTendered: { minor: 5_000 } });
    expect(trail(ids.cash)).toEqual({ audit: ["record.created", "record.collected"], outbox: [1, 2] });
  }, 30_000);

  it("a check is collected with its number typed on the keyboard", async () => {
    await screen.tap(`collect-check-${ids.check}`);
    await screen.page.getByTestId("follow-up-entry").waitFor();
    await screen.typeKeys("4402");
    await waitForText(screen, "follow-up-text", "4402");
    await screen.shoot("ui-staff-follow-up-entry");
    await screen.tap("follow-up-confirm");
    await revised(ids.check);
    expect(row(ids.check)).toMatchObject({ status: "completed", revision: 2 });
    expect(JSON.parse(row(ids.check)?.method_json ?? "{}")).toMatchObject({ checkNumber: "4402" });
    expect(trail(ids.check).audit).toEqual(["record.created", "record.collected"]);
  }, 30_000);

  it("marked collected elsewhere with a reference, and cancelled with a reason; Back types nothing", async () => {
    // Back from the keyboard changes nothing.
    await screen.tap(`cancel-${ids.cancel}`);
    await screen.page.getByTestId("follow-up-entry").waitFor();
    await screen.tap("back");
    await screen.page.getByTestId("attention-list").waitFor();
    expect(row(ids.cancel)).toMatchObject({ status: "scheduled", revision: 1 });

    await screen.tap(`collected-elsewhere-${ids.elsewhere}`);
    await screen.page.getByTestId("follow-up-entry").waitFor();
    await screen.typeKeys("SPECTRA 8812");
    await screen.tap("follow-up-confirm");
    await revised(ids.elsewhere);
    expect(row(ids.elsewhere)).toMatchObject({
      status: "voided",
      note: "Collected elsewhere: SPECTRA 8812",
      revision: 2,
    });
    expect(trail(ids.elsewhere)).toEqual({
      audit: ["record.created", "record.collected-elsewhere"],
      outbox: [1, 2],
    });

    await screen.tap(`cancel-${ids.cancel}`);
    await screen.page.getByTestId("follow-up-entry").waitFor();
    await screen.typeKeys("MOVED AWAY");
    await screen.tap("follow-up-confirm");
    await revised(ids.cancel);
    await screen.page.getByText("Nothing needs attention.").waitFor();
    expect(row(ids.cancel)).toMatchObject({ status: "voided", note: "Cancelled: MOVED AWAY" });
    expect(trail(ids.cancel).audit).toEqual(["record.created", "record.cancelled"]);
  }, 30_000);
});
