import { describe, expect, it } from "vitest";
import { INVOICE_NUMBER_MAX, invoiceReference } from "./invoice-reference.js";

describe("invoiceReference", () => {
  it("is 20 characters of base 32 after SK, the same for the same key", () => {
    const key = "sale:0192f7a4-0000-7000-8000-000000000001";
    const reference = invoiceReference(key);
    expect(reference).toMatch(/^SK[0-9A-HJKMNP-TV-Z]{18}$/);
    expect(reference).toHaveLength(INVOICE_NUMBER_MAX);
    expect(invoiceReference(key)).toBe(reference);
  });

  it("differs between keys, even ones a character apart", () => {
    const references = new Set<string>();
    for (let index = 0; index < 10_000; index += 1) references.add(invoiceReference(`sale:record-${index}`));
    expect(references.size).toBe(10_000);
    expect(invoiceReference("refund:a")).not.toBe(invoiceReference("refund:b"));
  });
});
