import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectDuePayments } from "../../src/checkout/cards/due-payments.js";
import { fixedClock, systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { CardProcessor } from "../../src/payments/card-processor.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { REASON_CODE_CARD } from "../fixtures/authorize-net-test-cards.js";
import { authorizeNetFor, CARDS, cardDraft, swipe } from "../helpers/card-payments.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { invoice } from "../helpers/payments.js";
import { kioskQuery, MANAGER_PIN, signIn } from "../helpers/staff-screen.js";
import { ledgerOn, SETTINGS } from "../helpers/store.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-retry-card";
const PLAN = invoice({ id: "inv-rc1", number: "8001", totalMinor: 40_000 });
/** Another client's plan, whose saved card is gone: its collection fails, and staff charge another card. */
const OTHER = invoice({
  id: "inv-rc2",
  number: "8002",
  totalMinor: 30_000,
  client: { id: "client-rc2", firstName: "Bea", lastName: "Soto" },
});

/** A $2.00 card future payment promised on 2026-11-20, due on the 25th: fallen due when the test runs. */
function promiseCardPayments(databaseFile: string): { plan: string; other: string } {
  const clock = fixedClock("2026-11-20T17:00:00Z");
  const store = openKioskStore({ path: databaseFile, deviceId: DEVICE, clock, logger: createMemoryLogger() });
  try {
    const ledger = ledgerOn(store, { ...SETTINGS, deviceId: DEVICE, processorKind: "gateway" }, clock);
    const promise = (invoiceId: string, amountMinor: number): string =>
      ledger.record(
        cardDraft(amountMinor, {
          invoiceId,
          futurePayment: true,
          dueDate: "2026-11-25",
          methodFields: { type: "card", entryMode: "keyed" },
        }),
        { kind: "staff", staffId: "mgr" },
      ).id;
    return { plan: promise(PLAN.id, 200), other: promise(OTHER.id, 7_500) };
  } finally {
    store.close();
  }
}

interface Row {
  status: string;
  revision: number;
}

/**
 * "Retry card" from Needs attention, in Chromium against the kiosk process and the Authorize.Net
 * simulator: a due card payment whose saved card declined is retried by staff; still declined, it
 * stays; once the client's new card is saved, the retry collects it and the item leaves the list.
 */
describe("staff retry a failed card collection from Needs attention, in Chromium", () => {
  let screen: KioskScreen;
  let processor: CardProcessor;
  let id: string;
  let other: string;
  const rowOf = (recordId: string): Row | undefined =>
    kioskQuery<Row>(
      screen.databaseFile,
      `SELECT status, revision FROM payment_records WHERE id = '${recordId}'`,
    )[0];
  const row = (): Row | undefined => rowOf(id);
  const outbox = (): number[] =>
    kioskQuery<{ revision: number }>(
      screen.databaseFile,
      `SELECT revision FROM outbox WHERE record_id = '${id}' ORDER BY seq`,
    ).map((entry) => entry.revision);
  const attempts = (): string[] =>
    kioskQuery<{ outcome: string }>(
      screen.databaseFile,
      `SELECT outcome FROM collection_attempts WHERE record_id = '${id}' ORDER BY attempt`,
    ).map((entry) => entry.outcome);

  /** The client's card, saved at the simulator and kept (token, brand, last 4) in the kiosk's store. */
  const saveCard = async (number: string): Promise<void> => {
    const saved = await processor.saveCard({
      idempotencyKey: `save-${number}`,
      source: swipe(number),
      clientId: PLAN.client.id,
    });
    const store = openKioskStore({
      path: screen.databaseFile,
      deviceId: DEVICE,
      clock: systemClock,
      logger: createMemoryLogger(),
    });
    try {
      store.savedCards.save(PLAN.client.id, saved, new Date().toISOString());
    } finally {
      store.close();
    }
  };

  beforeAll(async () => {
    screen = await startKioskScreen({
      deviceId: DEVICE,
      invoices: [PLAN, OTHER],
      prepareData: (_dir, databaseFile) => {
        ({ plan: id, other } = promiseCardPayments(databaseFile));
      },
    });
    processor = await authorizeNetFor(screen.processor);
    // The sandbox's reason-code card: saved (its $0.01 verification is approved), then $2.00 is declined.
    await saveCard(REASON_CODE_CARD);
    // The collector's try, as the kiosk's background round makes it, on the kiosk's own store: declined.
    const store = openKioskStore({
      path: screen.databaseFile,
      deviceId: DEVICE,
      clock: systemClock,
      logger: createMemoryLogger(),
    });
    try {
      const report = await collectDuePayments({
        store: {
          ...store,
          ledger: ledgerOn(store, { ...SETTINGS, deviceId: DEVICE, processorKind: "gateway" }, systemClock),
        },
        processor,
        policy: { maxAttempts: 1, retryIntervalHours: 24 },
        clock: systemClock,
        timeZone: "America/Denver",
        logger: createMemoryLogger(),
      });
      expect(report).toEqual({ collected: 0, failed: 2, skipped: 0 });
    } finally {
      store.close();
    }
    await signIn(screen, MANAGER_PIN);
    await screen.tap("home-attention");
    await screen.waitForScreen("staff.attention");
    await screen.page.getByTestId(`attention-${id}`).waitFor();
  }, 60_000);

  afterAll(async () => {
    await screen?.stop();
  });

  it("a retry the card still declines leaves the payment due and on the list", async () => {
    expect(row()?.status).toBe("scheduled");
    expect(attempts()).toEqual(["PROCESSOR_DECLINED"]);
    const before = row()?.revision ?? 0;
    await screen.tap(`retry-saved-card-${id}`);
    await until(() => attempts().length === 2, "the second try to be noted", 10_000);
    await screen.page.getByTestId(`attention-${id}`).waitFor();
    expect(row()).toMatchObject({ status: "scheduled" });
    expect(row()?.revision).toBeGreaterThan(before);
    expect(attempts()).toEqual(["PROCESSOR_DECLINED", "PROCESSOR_DECLINED"]);
  }, 30_000);

  it("with the client's new card saved, Retry card collects it: completed, a new outbox revision, off the list", async () => {
    await saveCard(CARDS.approve);
    const before = row()?.revision ?? 0;
    await screen.tap(`retry-saved-card-${id}`);
    await until(() => row()?.status === "completed", "the payment to be collected", 10_000);
    const collected = row();
    expect(collected?.revision).toBeGreaterThan(before);
    expect(outbox().at(-1)).toBe(collected?.revision);
    await until(
      async () => (await screen.page.getByTestId(`attention-${id}`).count()) === 0,
      "the item to leave the list",
      10_000,
    );
    // The card number never reaches the kiosk's disk: only its token, brand and last 4.
    const everything = JSON.stringify(
      kioskQuery(screen.databaseFile, "SELECT * FROM payment_records").concat(
        kioskQuery(screen.databaseFile, "SELECT * FROM saved_cards"),
      ),
    );
    expect(everything).not.toContain(CARDS.approve);
    expect(everything).not.toContain(REASON_CODE_CARD);
  }, 30_000);

  it("Charge another card closes the failed collection first, then opens the card payment for its amount", async () => {
    await screen.page.getByTestId(`attention-${other}`).waitFor();
    const before = rowOf(other)?.revision ?? 0;
    await screen.tap(`charge-another-card-${other}`);
    await screen.waitForScreen("staff.payment-form");
    // Closed before any new charge: voided, with its next revision in the outbox.
    expect(rowOf(other)).toMatchObject({ status: "voided", revision: before + 1 });
    expect(
      kioskQuery<{ revision: number }>(
        screen.databaseFile,
        `SELECT revision FROM outbox WHERE record_id = '${other}' ORDER BY seq`,
      ).at(-1)?.revision,
    ).toBe(before + 1);
    expect(
      kioskQuery<{ action: string }>(
        screen.databaseFile,
        `SELECT action FROM audit_log WHERE entity_id = '${other}' ORDER BY seq`,
      ).at(-1)?.action,
    ).toBe("record.closed-for-another-card");
    // The form: invoice 8002, $75.00, the card method chosen; staff take the new card from here.
    expect(await screen.page.locator("body").textContent()).toContain("8002");
    expect(await screen.page.getByTestId("field-amount").textContent()).toContain("$75.00");
    expect(await screen.page.getByTestId("method-card").getAttribute("aria-pressed")).toBe("true");
    await screen.shoot("ui-staff-charge-another-card");
  }, 30_000);
});
