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
    });
    expect(store.invoices.terms("inv-unknown")).toBeNull();
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
