import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testCheckout } from "../../test/helpers/checkout.js";
import { expectKioskError } from "../../test/helpers/kiosk-error.js";
import { cashPayment, STAFF } from "../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../test/helpers/store.js";
import { ErrorCodes } from "../core/error-codes.js";
import { FIND_LIMIT, FIND_TEXT_MAX } from "./checkout-types.js";

describe("checkout finds payments by invoice number or client name", () => {
  let store: TestStore;
  beforeEach(() => {
    store = testStore();
  });
  afterEach(() => store.dispose());

  it("answers newest first, at most FIND_LIMIT, each dated in the studio's time zone", async () => {
    const checkout = await testCheckout(store);
    // 03:00 UTC on the 27th is still the 26th in Denver.
    store.clock.set("2026-11-27T03:00:00Z");
    const late = store.ledger.record(cashPayment(100), STAFF).id;
    for (let index = 0; index < FIND_LIMIT; index += 1) {
      store.clock.advance(1_000);
      store.ledger.record(cashPayment(10 + index), STAFF);
    }
    const found = checkout.findPayments("  núñez ");
    expect(found).toHaveLength(FIND_LIMIT);
    expect(found[0]).toMatchObject({
      clientName: "Ada Núñez",
      date: "2026-11-26",
      record: { amount: { minor: 59 } },
    });
    expect(found.map(({ record }) => record.id)).not.toContain(late);
    expect(checkout.findPayments("a-1001")).toHaveLength(FIND_LIMIT);
  });

  it("refuses nothing typed, too much typed, or control characters, with a code", async () => {
    const checkout = await testCheckout(store);
    store.ledger.record(cashPayment(100), STAFF);
    for (const text of ["", "   ", "A".repeat(FIND_TEXT_MAX + 1), "A\u0000"]) {
      expectKioskError(() => checkout.findPayments(text), ErrorCodes.STAFF_SEARCH_INVALID);
    }
    expect(checkout.findPayments("A".repeat(FIND_TEXT_MAX))).toEqual([]);
  });
});
