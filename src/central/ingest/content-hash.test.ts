import { describe, expect, it } from "vitest";
import { sampleCardRecord, sampleInvoice } from "../../../test/helpers/sync-fixtures.js";
import { contentHash } from "./content-hash.js";

describe("contentHash", () => {
  it("is the same whatever the key order, and differs with any change", () => {
    const record = sampleCardRecord(sampleInvoice(), "kiosk-a", 100);
    const reversed = Object.fromEntries(Object.entries(record).reverse());
    const nested = { ...record, method: Object.fromEntries(Object.entries(record.method).reverse()) };
    expect(contentHash(reversed)).toBe(contentHash(record));
    expect(contentHash(nested)).toBe(contentHash(record));
    expect(contentHash({ ...record, note: "other" })).not.toBe(contentHash(record));
    expect(contentHash({ ...record, amount: { ...record.amount, minor: 101 } })).not.toBe(
      contentHash(record),
    );
  });
});
