import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { invoice } from "../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../test/helpers/store.js";

describe("the invoice cache", () => {
  let store: TestStore;
  beforeEach(() => {
    store = testStore();
  });
  afterEach(() => store.dispose());
  const at = "2026-11-26T17:00:00Z";

  it("finds an invoice by number and last name, ignoring case, accents and spaces", () => {
    expect(store.invoices.find(" a-1001 ", "  NUNEZ ")?.id).toBe("inv-1");
    expect(store.invoices.find("A-1001", "Núñez")?.totalMinor).toBe(25_000);
    expect(store.invoices.find("A-1001", "Smith")).toBeNull();
    expect(store.invoices.find("A-9999", "Núñez")).toBeNull();
    expect(store.invoices.findByNumber("a-1001")?.client.lastName).toBe("Núñez");
  });

  it("applies only newer versions, so repeated or late updates change nothing", () => {
    expect(store.invoices.upsertInvoice(invoice({ totalMinor: 30_000, version: 2 }), at)).toBe(true);
    expect(store.invoices.upsertInvoice(invoice({ totalMinor: 30_000, version: 2 }), at)).toBe(false);
    expect(store.invoices.upsertInvoice(invoice({ totalMinor: 10_000, version: 1 }), at)).toBe(false);
    expect(store.invoices.get("inv-1")?.totalMinor).toBe(30_000);
  });

  it("gives the payment rules an invoice's terms without its lines or names", () => {
    const full = store.invoices.get("inv-1");
    expect(store.invoices.terms("inv-1")).toEqual({
      id: full?.id,
      number: full?.number,
      client: { id: full?.client.id },
      sessionId: full?.sessionId,
      totalMinor: full?.totalMinor,
      currency: full?.currency,
      elsewhere: null,
    });
    expect(store.invoices.terms("inv-unknown")).toBeNull();
  });

  it("counts into the terms what central says was paid elsewhere, in the invoice's currency only", () => {
    const update = {
      invoiceId: "inv-1",
      seq: 4,
      currency: "USD",
      paidMinor: 7_000,
      refundedMinor: 500,
      asOf: at,
    };
    expect(store.elsewhere.apply([update], null, at)).toEqual(["inv-1"]);
    expect(store.invoices.terms("inv-1")?.elsewhere).toEqual({
      paidMinor: 7_000,
      refundedMinor: 500,
      asOf: at,
    });
    // An older account never replaces a newer one; a same-numbered one changes nothing.
    expect(store.elsewhere.apply([{ ...update, seq: 3, paidMinor: 1 }], null, at)).toEqual([]);
    expect(store.elsewhere.apply([{ ...update, seq: 4, paidMinor: 1 }], null, at)).toEqual([]);
    expect(store.invoices.terms("inv-1")?.elsewhere?.paidMinor).toBe(7_000);
    expect(store.elsewhere.apply([{ ...update, seq: 5, currency: "EUR" }], null, at)).toEqual(["inv-1"]);
    expect(store.invoices.terms("inv-1")?.elsewhere).toBeNull();
  });

  it("moves the accounts cursor only for a page that starts at or before it", () => {
    expect(store.elsewhere.cursor()).toBe(0);
    store.elsewhere.apply([], { since: 5, cursor: 9 }, at);
    expect(store.elsewhere.cursor()).toBe(0);
    store.elsewhere.apply([], { since: 0, cursor: 9 }, at);
    expect(store.elsewhere.cursor()).toBe(9);
    store.elsewhere.apply([], { since: 0, cursor: 4 }, at);
    expect(store.elsewhere.cursor()).toBe(9);
  });

  it("takes client changes from client updates, by their own versions", () => {
    expect(
      store.invoices.upsertClient({ id: "client-1", firstName: "Ada", lastName: "Lovelace", version: 3 }, at),
    ).toBe(true);
    expect(
      store.invoices.upsertClient({ id: "client-1", firstName: "Ada", lastName: "Núñez", version: 2 }, at),
    ).toBe(false);
    expect(store.invoices.find("A-1001", "lovelace")?.client.lastName).toBe("Lovelace");
  });
});
