import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cashPayment, invoice, STAFF } from "../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../test/helpers/store.js";

describe("finding the kiosk's records by invoice number or client name", () => {
  let store: TestStore;
  beforeEach(() => {
    store = testStore();
    const at = store.clock.now().toISOString();
    store.invoices.upsertInvoice(
      invoice({
        id: "inv-2",
        number: "B_50%",
        client: { id: "client-2", firstName: "Zoë", lastName: "O'Brien" },
      }),
      at,
    );
  });
  afterEach(() => store.dispose());

  const take = (invoiceId: string, amount: number): string => {
    store.clock.advance(1_000);
    return store.ledger.record(cashPayment(amount, { invoiceId }), STAFF).id;
  };
  const found = (text: string, limit = 50) =>
    store.records.matching(text, limit).map(({ record, clientName }) => [record.id, clientName]);

  it("matches part of an invoice number in any case, newest first, with the client's name", () => {
    const first = take("inv-1", 100);
    const second = take("inv-1", 200);
    take("inv-2", 300);
    expect(found("a-10")).toEqual([
      [second, "Ada Núñez"],
      [first, "Ada Núñez"],
    ]);
    expect(found("1001", 1)).toEqual([[second, "Ada Núñez"]]);
  });

  it("matches the client's name without case or accents", () => {
    const ada = take("inv-1", 100);
    const zoe = take("inv-2", 200);
    expect(found("NUNEZ")).toEqual([[ada, "Ada Núñez"]]);
    expect(found("ada nú")).toEqual([[ada, "Ada Núñez"]]);
    expect(found("zoe o'b")).toEqual([[zoe, "Zoë O'Brien"]]);
    expect(found("Smith")).toEqual([]);
  });

  it("takes a typed % or _ as itself, not as a wildcard", () => {
    take("inv-1", 100);
    const zoe = take("inv-2", 200);
    expect(found("%")).toEqual([[zoe, "Zoë O'Brien"]]);
    expect(found("_")).toEqual([[zoe, "Zoë O'Brien"]]);
    expect(found("A%1")).toEqual([]);
    expect(found("B_5")).toEqual([[zoe, "Zoë O'Brien"]]);
  });
});
