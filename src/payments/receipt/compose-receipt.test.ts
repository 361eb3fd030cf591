import { describe, expect, it } from "vitest";
import { cashPayment, context, manualCardPayment, take } from "../../../test/helpers/payments.js";
import { money } from "../money.js";
import type { PaymentRecord } from "../payment-record.js";
import { composeReceipt, type ReceiptContext } from "./compose-receipt.js";
import { type ReceiptDocument, receiptDocumentSchema } from "./receipt-document.js";

const CONTEXT: ReceiptContext = {
  studio: { name: "Estudio Peña", address: ["Calle Mayor 5", "28013 Madrid"], timeZone: "America/Denver" },
  locale: "en-US",
  clientName: "Ada Núñez",
  staffName: "Maria Manager",
  kioskId: "kiosk-test",
  balanceRemaining: money(5_000, "USD"),
  reprint: false,
};

const rowValue = (receipt: ReceiptDocument, label: string): string | undefined =>
  receipt.rows.find((row) => row.label === label)?.value;

describe("composeReceipt", () => {
  it("shows a cash payment: studio, time in the studio's zone, invoice, client, amount, tendered and change", () => {
    // 17:00 UTC is 10:00 in Denver.
    const record = take(cashPayment(12_345, { methodFields: { type: "cash", amountTenderedMinor: 15_000 } }));
    const receipt = composeReceipt(record, CONTEXT);
    expect(receipt.kind).toBe("payment");
    expect(receipt.title).toBe("PAYMENT");
    expect(receipt.studioName).toBe("Estudio Peña");
    expect(receipt.studioAddress).toEqual(["Calle Mayor 5", "28013 Madrid"]);
    expect(rowValue(receipt, "Date")).toBe("Nov 26, 2026, 10:00 AM");
    expect(rowValue(receipt, "Invoice")).toBe("A-1001");
    expect(rowValue(receipt, "Client")).toBe("Ada Núñez");
    expect(rowValue(receipt, "Method")).toBe("Cash");
    expect(rowValue(receipt, "Amount")).toBe("$123.45");
    expect(receipt.rows.find((row) => row.label === "Amount")?.strong).toBe(true);
    expect(rowValue(receipt, "Tendered")).toBe("$150.00");
    expect(rowValue(receipt, "Change")).toBe("$26.55");
    expect(rowValue(receipt, "Balance remaining")).toBe("$50.00");
    expect(rowValue(receipt, "Staff")).toBe("Maria Manager");
    expect(rowValue(receipt, "Kiosk")).toBe("kiosk-test");
    expect(receipt.recordId).toBe(record.id);
    expect(receipt.notices).toEqual([]);
    // What the kiosk composes passes the bounds central holds an emailed receipt to.
    expect(receiptDocumentSchema.parse(receipt)).toEqual(receipt);
  });

  it("writes the same receipt in Spanish, with the locale's money and date", () => {
    const record = take(cashPayment(12_345, { methodFields: { type: "cash", amountTenderedMinor: 15_000 } }));
    const receipt = composeReceipt(record, { ...CONTEXT, locale: "es-ES" });
    expect(receipt.language).toBe("es");
    expect(receipt.title).toBe("PAGO");
    expect(rowValue(receipt, "Método")).toBe("Cash");
    expect(rowValue(receipt, "Importe")).toBe("123,45\u00a0US$");
    expect(rowValue(receipt, "Cambio")).toBe("26,55\u00a0US$");
    expect(rowValue(receipt, "Fecha")).toBe("26 nov 2026, 10:00");
    expect(receipt.thanks).toBe("¡Gracias!");
    expect(receipt.subject).toBe("Su recibo de Estudio Peña - factura A-1001");
  });

  it("shows a card's masked number and authorization code, never more", () => {
    const record = take(manualCardPayment(2_000));
    const receipt = composeReceipt(record, CONTEXT);
    expect(rowValue(receipt, "Card")).toBe("Visa 411111******1111");
    expect(rowValue(receipt, "Authorization")).toBe("A1B2C3");
    expect(JSON.stringify(receipt)).not.toMatch(/\d{13,19}/);
  });

  it("marks a refund, a void and a reprint clearly", () => {
    const paid = take(cashPayment(10_000, { methodFields: { type: "cash", amountTenderedMinor: 10_000 } }));
    const refund = take(
      { ...cashPayment(4_000), kind: "refund", refundOf: paid.id },
      context({ records: [paid] }),
    );
    const refundReceipt = composeReceipt(refund, CONTEXT);
    expect(refundReceipt.title).toBe("REFUND");
    expect(rowValue(refundReceipt, "Refunded")).toBe("$40.00");
    expect(refundReceipt.notices).toEqual(["Money returned to the client"]);

    const voided: PaymentRecord = { ...paid, status: "voided", voidedAt: "2026-11-26T18:30:00.000Z" };
    const voidReceipt = composeReceipt(voided, { ...CONTEXT, reprint: true });
    expect(voidReceipt.kind).toBe("void");
    expect(voidReceipt.title).toBe("VOID");
    expect(voidReceipt.notices).toEqual(["*** REPRINT ***", "VOIDED - no money was taken"]);
    expect(rowValue(voidReceipt, "Voided")).toBe("Nov 26, 2026, 11:30 AM");
    expect(rowValue(voidReceipt, "Voided amount")).toBe("$100.00");
    // No change handed back on a void.
    expect(rowValue(voidReceipt, "Change")).toBeUndefined();
  });

  it("gives a future payment its due date and no tendered money", () => {
    const record = take(cashPayment(7_500, { futurePayment: true, dueDate: "2026-12-15" }));
    const receipt = composeReceipt(record, { ...CONTEXT, locale: "es-ES" });
    expect(receipt.kind).toBe("future-payment");
    expect(receipt.title).toBe("PAGO FUTURO");
    expect(rowValue(receipt, "Vencimiento")).toBe("15 dic 2026");
    expect(rowValue(receipt, "Importe a pagar")).toBe("75,00\u00a0US$");
    expect(rowValue(receipt, "Entregado")).toBeUndefined();
  });

  it("names a check by its number", () => {
    const record = take({
      ...cashPayment(3_000),
      methodId: "check",
      methodFields: { type: "check", checkNumber: "1042" },
    });
    expect(rowValue(composeReceipt(record, CONTEXT), "Check no.")).toBe("1042");
  });
});
