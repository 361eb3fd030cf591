import { newId } from "../../src/core/ids.js";
import { parseMaskedPan } from "../../src/payments/card/masked-pan.js";
import type { Invoice } from "../../src/payments/invoice.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";

/** An invoice large enough that thousands of test payments fit in its balance. */
export function sampleInvoice(overrides: Partial<Invoice> = {}): Invoice {
  const id = overrides.id ?? newId();
  return {
    id,
    number: `INV-${id.slice(-8).toUpperCase()}`,
    client: { id: `client-${id.slice(-8)}`, firstName: "Ana", lastName: "Núñez" },
    sessionId: null,
    lines: [{ description: "Portrait session", quantity: 1, amountMinor: 1_000_000_000 }],
    totalMinor: 1_000_000_000,
    currency: "USD",
    version: 1,
    ...overrides,
  };
}

/** A valid completed cash payment (revision 1) against `invoice`, taken on `deviceId`. */
export function sampleRecord(
  invoice: Invoice,
  deviceId: string,
  amountMinor: number,
  overrides: Partial<PaymentRecord> = {},
): PaymentRecord {
  const at = new Date().toISOString();
  return {
    id: newId(),
    revision: 1,
    kind: "payment",
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    clientId: invoice.client.id,
    sessionId: invoice.sessionId,
    refundOf: null,
    amount: { minor: amountMinor, currency: invoice.currency },
    overpayment: null,
    paymentDate: at.slice(0, 10),
    refundable: false,
    refundableUntil: null,
    futurePayment: false,
    dueDate: null,
    methodId: "cash",
    methodName: "Cash",
    method: {
      type: "cash",
      amountTendered: { minor: amountMinor, currency: invoice.currency },
      changeDue: { minor: 0, currency: invoice.currency },
    },
    status: "completed",
    declineCode: null,
    staffId: "csh",
    deviceId,
    shiftId: null,
    note: null,
    createdAt: at,
    updatedAt: at,
    voidedAt: null,
    voidedBy: null,
    ...overrides,
  };
}

/** A card payment with every optional field filled, for field-by-field comparisons. */
export function sampleCardRecord(invoice: Invoice, deviceId: string, amountMinor: number): PaymentRecord {
  return sampleRecord(invoice, deviceId, amountMinor, {
    methodId: "card",
    methodName: "Credit Card",
    method: {
      type: "card",
      cardType: "Visa",
      entryMode: "manual",
      authorizationCode: "A1B2C3",
      processorToken: "tok_123",
      processorReference: "ref_456",
      maskedPan: parseMaskedPan("411111******1111"),
      brand: "visa",
    },
    refundable: true,
    refundableUntil: "2099-12-31",
    note: "paid at the counter — ñ",
    overpayment: { minor: 5, currency: invoice.currency },
  });
}
