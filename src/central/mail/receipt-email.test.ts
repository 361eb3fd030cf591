import { describe, expect, it } from "vitest";
import type { ReceiptDocument } from "../../payments/receipt/receipt-document.js";
import { receiptEmail } from "./receipt-email.js";

const RECEIPT: ReceiptDocument = {
  language: "es",
  kind: "refund",
  studioName: "Estudio <Peña> & Hijos",
  studioAddress: ["Calle Mayor 5", "28013 Madrid"],
  title: "REEMBOLSO",
  notices: ["Dinero devuelto al cliente"],
  rows: [
    { label: "Factura", value: "M-1001", strong: false },
    { label: "Reembolsado", value: "40,00 €", strong: true },
    { label: "Cliente", value: "<script>alert(1)</script>", strong: false },
  ],
  recordLabel: "Registro",
  recordId: "rec-1",
  thanks: "¡Gracias!",
  subject: "Su recibo de Estudio <Peña> & Hijos - factura M-1001",
};

describe("a receipt as an email", () => {
  const mail = receiptEmail("ana@ejemplo.es", RECEIPT);

  it("keeps the receipt's subject and language", () => {
    expect(mail.to).toBe("ana@ejemplo.es");
    expect(mail.subject).toBe(RECEIPT.subject);
    expect(mail.html).toContain('<html lang="es">');
  });

  it("writes every line in plain text, labels aligned", () => {
    expect(mail.text).toContain("Estudio <Peña> & Hijos\nCalle Mayor 5\n28013 Madrid\n");
    expect(mail.text).toContain("REEMBOLSO\nDinero devuelto al cliente\n");
    expect(mail.text).toContain("Reembolsado  40,00 €");
    expect(mail.text).toContain("Registro: rec-1");
    expect(mail.text.endsWith("¡Gracias!\n")).toBe(true);
  });

  it("escapes every value in the HTML, so a name cannot become markup", () => {
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(mail.html).toContain("Estudio &#60;Peña&#62; &#38; Hijos");
    expect(mail.html).toContain("<strong>40,00 €</strong>");
  });
});
