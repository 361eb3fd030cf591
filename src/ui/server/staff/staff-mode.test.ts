import { afterEach, describe, expect, it } from "vitest";
import { testCheckout } from "../../../../test/helpers/checkout.js";
import { type TestStore, testStore } from "../../../../test/helpers/store.js";
import { until } from "../../../../test/helpers/wait.js";
import { createMemoryLogger } from "../../../core/logger.js";
import { SwipeSecrets } from "../../../drivers/card-reader/card-read.js";
import { TEST_CARDS } from "../../../drivers/card-reader/fixtures/test-cards.js";
import { CardNumber } from "../../../payments/card/card-number.js";
import type { MaskedPan } from "../../../payments/card/masked-pan.js";
import type { StaffSetup } from "../../flows/staff/index.js";
import type { ModeName } from "../mode.js";
import { StaffMode } from "./staff-mode.js";

const SETUP: StaffSetup = {
  currency: "USD",
  methods: [{ id: "cash", name: "Cash", type: "cash", cardEntryModes: [], opensCashDrawer: true }],
  cardTypes: ["Visa"],
  processorKind: "manual",
  smartReader: false,
  payByPhone: false,
  saveCards: false,
  saveKeyedCards: false,
  signIn: { maxFailedPins: 2, lockoutSeconds: 60 },
  printer: false,
  emailReceipts: false,
};

describe("staff mode", () => {
  let store: TestStore;
  afterEach(() => store.dispose());

  async function setUp(setup: StaffSetup = SETUP) {
    store = testStore();
    const switched: ModeName[] = [];
    let changes = 0;
    let updates = 0;
    const mode = new StaffMode({
      setup,
      checkout: await testCheckout(store, {
        staff: [{ id: "mgr", name: "Morgan", role: "manager", pin: "1234" }],
      }),
      cashDrawer: null,
      clock: store.clock,
      logger: createMemoryLogger(),
    });
    mode.attach({
      changed: () => {
        changes += 1;
      },
      updated: () => {
        updates += 1;
      },
      switchTo: (name) => switched.push(name),
      locale: () => "en-US",
    });
    // The PIN check (scrypt) runs off the event loop: wait until the keypad is not checking any more.
    const settle = () =>
      until(() => {
        const screen = mode.screen();
        return screen.name !== "staff.sign-in" || !screen.checking;
      }, "the PIN check");
    const pin = async (digits: string) => {
      for (const digit of digits) mode.touch("key", digit);
      mode.touch("submit", undefined);
      await settle();
    };
    return { mode, pin, switched, changes: () => changes, updates: () => updates };
  }

  it("keeps a lockout when staff leave and come back, and signs in once it has passed", async () => {
    const { mode, pin } = await setUp();
    await pin("9999");
    await pin("8888");
    expect(mode.screen()).toMatchObject({ name: "staff.sign-in", lockedUntil: expect.any(String) });
    mode.reset();
    await pin("1234");
    expect(mode.screen().name).toBe("staff.sign-in");
    store.clock.advance(61_000);
    mode.reset();
    await pin("1234");
    expect(mode.screen()).toMatchObject({ name: "staff.home", staff: { id: "mgr" } });
    // Signed in: the count starts again next time.
    mode.reset();
    expect(mode.screen()).toMatchObject({ name: "staff.sign-in", failures: 0, lockedUntil: null });
  });

  it("reports a touch that changes nothing, follows the lock, and hands the counter back on sign-out", async () => {
    const { mode, pin, switched } = await setUp();
    expect(mode.touch("find", undefined)).toBe(false);
    await pin("1234");
    expect(mode.showsWhileLocked()).toBe(true);
    store.lock.lock("Out of service", "central");
    expect(mode.screen()).toMatchObject({ name: "staff.home", kioskLocked: true });
    store.lock.unlock("central");
    mode.touch("new-payment", undefined);
    expect(mode.showsWhileLocked()).toBe(false);
    expect(mode.waitsForSwipe()).toBe(false);
    mode.touch("sign-out", undefined);
    expect(switched).toEqual(["self-service"]);
    mode.stop();
  });

  it("answers a swipe whose data is gone, or that cannot be charged, on the swipe screen", async () => {
    const { mode, pin } = await setUp({
      ...SETUP,
      processorKind: "gateway",
      methods: [
        { id: "card", name: "Card", type: "card", cardEntryModes: ["swiped"], opensCashDrawer: false },
      ],
    });
    await pin("1234");
    mode.touch("new-payment", undefined);
    for (const key of "A-1001") mode.touch("key", key);
    mode.touch("find", undefined);
    await until(() => mode.screen().name === "staff.payment-form", "the form");
    mode.touch("method", "card");
    mode.touch("save", undefined);
    expect(mode.waitsForSwipe()).toBe(true);
    const read = (secrets: SwipeSecrets) => ({
      maskedPan: "411111******1111" as MaskedPan,
      brand: "Visa",
      cardholderName: null,
      expiry: "2030-12",
      expired: false,
      serviceCode: null,
      entryMode: "swiped" as const,
      tracks: [2 as const],
      encrypted: null,
      secrets,
    });
    mode.cardRead(read(new SwipeSecrets(undefined)));
    await until(() => JSON.stringify(mode.screen()).includes("CARD_DATA_WIPED"), "the wiped swipe's error");
    expect(mode.screen()).toMatchObject({ name: "staff.card-swipe", error: { code: "CARD_DATA_WIPED" } });
    // A good swipe on a kiosk whose card service is not running: refused with its code, data wiped.
    const secrets = new SwipeSecrets({
      cardNumber: CardNumber.parse(TEST_CARDS.visa.pan),
      track1: null,
      track2: null,
    });
    mode.cardRead(read(secrets));
    await until(
      () => JSON.stringify(mode.screen()).includes("PROCESSOR_NOT_INTEGRATED"),
      "the charge's error",
    );
    expect(mode.waitsForSwipe()).toBe(true);
    expect(mode.screen()).toMatchObject({ error: { code: "PROCESSOR_NOT_INTEGRATED" } });
    expect(secrets.available).toBe(false);
    mode.stop();
  });

  it("looks again at the invoice on the form when central changes it, as an update nobody touched", async () => {
    const { mode, pin, changes, updates } = await setUp();
    await pin("1234");
    mode.touch("new-payment", undefined);
    for (const key of "A-1001") mode.touch("key", key);
    mode.touch("find", undefined);
    await until(() => mode.screen().name === "staff.payment-form", "the form");
    expect(mode.screen()).toMatchObject({ invoice: { balance: { minor: 25_000 } } });
    const at = store.clock.now().toISOString();
    store.elsewhere.apply(
      [{ invoiceId: "inv-1", seq: 1, currency: "USD", paidMinor: 10_000, refundedMinor: 0, asOf: at }],
      null,
      at,
    );
    const touched = changes();
    mode.invoicesChanged(["inv-other"]);
    expect(mode.screen()).toMatchObject({ invoice: { balance: { minor: 25_000 } } });
    mode.invoicesChanged(["inv-1"]);
    await until(
      () => JSON.stringify(mode.screen()).includes("PAYMENT_EXCEEDS_BALANCE"),
      "the refreshed form",
    );
    expect(mode.screen()).toMatchObject({
      name: "staff.payment-form",
      invoice: { balance: { minor: 15_000 }, paid: { minor: 10_000 } },
      errors: { amount: { code: "PAYMENT_EXCEEDS_BALANCE" } },
    });
    expect(changes()).toBe(touched);
    expect(updates()).toBeGreaterThan(0);
    mode.stop();
  });
});
