import { describe, expect, it } from "vitest";
import { manualCardPayment, take } from "../../../test/helpers/payments.js";
import { parseMaskedPan } from "../card/masked-pan.js";
import type { Charge } from "../card-processor.js";
import type { PaymentRecord } from "../payment-record.js";
import { approvedChange } from "./record-changes.js";

const recordWith = (maskedPan: string | null): PaymentRecord => {
  const record = take(manualCardPayment(1_000));
  if (record.method.type !== "card") throw new Error("a card record expected");
  return { ...record, method: { ...record.method, maskedPan: maskedPan ? parseMaskedPan(maskedPan) : null } };
};

/** A processor knows BIN and last 4 only, so its mask always has six stars. */
const chargeOf = (bin: string, last4: string): Charge => ({
  chargeId: "ch_1",
  amount: { minor: 1_000, currency: "USD" },
  authorizationCode: "A1B2C3",
  card: { brand: "American Express", maskedPan: parseMaskedPan(`${bin}******${last4}`), last4, expiry: null },
  token: null,
  idempotencyKey: "sale:1",
});

const maskedAfter = (record: PaymentRecord, charge: Charge) => {
  const method = approvedChange(record, charge).method;
  return method?.type === "card" ? method.maskedPan : undefined;
};

describe("approvedChange", () => {
  it("keeps the reader's mask (which knows the card's length) when the processor charged that card", () => {
    expect(maskedAfter(recordWith("378282*****0005"), chargeOf("378282", "0005"))).toBe("378282*****0005");
  });

  it("takes the processor's mask when the record had none, or names another card", () => {
    expect(maskedAfter(recordWith(null), chargeOf("378282", "0005"))).toBe("378282******0005");
    expect(maskedAfter(recordWith("411111******1111"), chargeOf("378282", "0005"))).toBe("378282******0005");
  });
});
