import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectDuePayments } from "../../src/checkout/cards/due-payments.js";
import { fixedClock, systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { CardProcessor } from "../../src/payments/card-processor.js";
import { REASON_CODE_CARD } from "../../src/processors/authorize-net-simulator/sandbox-behaviour.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { authorizeNetFor, CARDS, cardDraft, swipe } from "../helpers/card-payments.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { invoice } from "../helpers/payments.js";
import { kioskQuery, MANAGER_PIN, signIn } from "../helpers/staff-screen.js";
import { ledgerOn, SETTINGS } from "../helpers/store.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-retry-card";
const PLAN = invoice({ id: "inv-rc1", number: "8001", totalMinor: 40_000 });

/** A $2.00 card future payment promised on 2026-11-20, due on the 25th: fallen due when the test runs. */
function promiseCardPayment(databaseFile: string): string {
  const clock = fixedClock("2026-11-20T17:00:00Z");
  const store = openKioskStore({ path: databaseFile, deviceId: DEVICE, clock, logger: createMemoryLogger() });
  try {
    const ledger = ledgerOn(store, { ...SETTINGS, deviceId: DEVICE, processorKind: "gateway" }, clock);
    return ledger.record(
      cardDraft(200, {
        invoiceId: PLAN.id,
        futurePayment: true,
        dueDate: "2026-11-25",
        methodFields: { type: "card", entryMode: "keyed" },
      }),
      { kind: "staff", staffId: "mgr" },
    ).id;
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
  const row = (): Row | undefined =>
    kioskQuery<Row>(
      screen.databaseFile,
      `SELECT status, revision FROM payment_records WHERE id = '${id}'`,
    )[0];
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
      invoices: [PLAN],
      prepareData: (_dir, databaseFile) => {
        id = promiseCardPayment(databaseFile);
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
      expect(report).toEqual({ collected: 0, failed: 1, skipped: 0 });
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
});
