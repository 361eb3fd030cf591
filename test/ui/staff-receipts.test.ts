import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeText } from "../../src/drivers/printer/code-page.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { invoice } from "../helpers/payments.js";
import { kioskRecords, MANAGER_PIN, openInvoice, signIn } from "../helpers/staff-screen.js";
import { until } from "../helpers/wait.js";

const PORTRAITS = invoice({
  id: "inv-r1",
  number: "R-1001",
  totalMinor: 25_000,
  currency: "EUR",
  client: { id: "client-r1", firstName: "Ángela", lastName: "Peña" },
});

/** A Spanish studio in euros, so the receipt needs "€", "ñ" and accents from the printer's code page. */
const STUDIO = {
  name: "Estudio Fotográfico Peña",
  address: ["Calle Mayor 5", "28013 Madrid"],
  timeZone: "Europe/Madrid",
  currency: "EUR",
  locales: ["es-ES", "en-US"],
};

const CUT = Buffer.from([0x1d, 0x56, 66, 3]);

/** How many receipts came out so far (each ends with a cut). */
function cuts(paper: Buffer): number {
  let count = 0;
  for (let at = paper.indexOf(CUT); at !== -1; at = paper.indexOf(CUT, at + 1)) count += 1;
  return count;
}

/** The text of the `n`th receipt (from 1) as the printer's code page reads it. */
function receipt(paper: Buffer, n: number): string {
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = paper.indexOf(CUT); at !== -1; at = paper.indexOf(CUT, start)) {
    parts.push(paper.subarray(start, at));
    start = at + CUT.length;
  }
  return decodeText(parts[n - 1] ?? Buffer.alloc(0), "cp858");
}

describe("receipts for staff records, printed on an ESC/POS printer over a pty, in Chromium", () => {
  let screen: KioskScreen;
  const paper = () => screen.printer?.printed ?? Buffer.alloc(0);
  const printedCount = (n: number) => until(() => cuts(paper()) >= n, `receipt ${n} to be printed`, 10_000);

  beforeAll(async () => {
    screen = await startKioskScreen({
      invoices: [PORTRAITS],
      printerOnPty: { codePage: "cp858" },
      extra: { studio: STUDIO },
    });
    await signIn(screen, MANAGER_PIN);
  }, 60_000);
  afterAll(async () => {
    await screen?.stop();
  });

  it("prints a cash payment's receipt in the screen's language: amount, change, accents and € in CP858", async () => {
    await openInvoice(screen, "R-1001");
    await screen.tap("key-clear");
    await screen.typeKeys("18750");
    await screen.tap("method-cash");
    await screen.tap("quick-cash-20000");
    await screen.tap("save-close");
    await screen.waitForScreen("staff.saved");
    await screen.page.waitForSelector('[data-testid="receipt-status"][data-state="printed"]', {
      timeout: 10_000,
    });
    await screen.page.waitForSelector('[data-testid="drawer-state"][data-state="opened"]', { timeout: 5000 });
    await screen.shoot("ui-staff-saved-receipt");
    await printedCount(1);

    // ESC @, then ESC t 19: the printer is switched to PC858 before any text.
    expect(paper().subarray(0, 5)).toEqual(Buffer.from([0x1b, 0x40, 0x1b, 0x74, 19]));
    // "187,50 €" with the euro as PC858's 0xD5, not "?".
    expect(paper().includes(Buffer.from([...Buffer.from("187,50 "), 0xd5]))).toBe(true);
    const text = receipt(paper(), 1);
    const record = kioskRecords(screen.databaseFile).at(-1);
    for (const part of [
      "Estudio Fotográfico Peña",
      "Calle Mayor 5",
      "PAGO",
      "Factura",
      "R-1001",
      "Cliente",
      "Ángela Peña",
      "Método",
      "Importe",
      "187,50 €",
      "Entregado",
      "200,00 €",
      "Cambio",
      "12,50 €",
      "Saldo pendiente",
      "62,50 €",
      "Atendido por",
      "Terminal",
      "kiosk-screen-01",
      "¡Gracias!",
      record?.id ?? "no record",
    ])
      expect(text, part).toContain(part);
    expect(text).not.toContain("REIMPRESIÓN");
  });

  it("prints a copy of any receipt of the shift, marked REPRINT", async () => {
    const record = kioskRecords(screen.databaseFile).at(-1);
    if (!record) throw new Error("no record");
    await screen.tap("done");
    await screen.waitForScreen("staff.home");
    await screen.tap("home-receipts");
    await screen.waitForScreen("staff.receipts");
    await screen.page.waitForSelector(`[data-testid="reprint-${record.id}"]`);
    await screen.tap(`reprint-${record.id}`);
    await screen.page.waitForSelector('[data-testid="receipt-status"][data-state="printed"]', {
      timeout: 10_000,
    });
    await screen.shoot("ui-staff-receipts");
    await printedCount(2);
    const copy = receipt(paper(), 2);
    expect(copy).toContain("*** REIMPRESIÓN ***");
    expect(copy).toContain("187,50 €");
    expect(copy).toContain(record.id);
  });

  it("prints the void's receipt, marked ANULACIÓN", async () => {
    const record = kioskRecords(screen.databaseFile).at(-1);
    if (!record) throw new Error("no record");
    await screen.tap("back");
    await screen.waitForScreen("staff.home");
    await screen.tap("home-void");
    await screen.waitForScreen("staff.void-list");
    await screen.tap(`void-${record.id}`);
    await screen.waitForScreen("staff.confirm");
    await screen.tap("confirm-yes");
    await screen.waitForScreen("staff.void-list");
    await screen.page.waitForSelector('[data-testid="receipt-status"][data-state="printed"]', {
      timeout: 10_000,
    });
    await printedCount(3);
    const voided = receipt(paper(), 3);
    expect(voided).toContain("ANULACIÓN");
    expect(voided).toContain("ANULADO - no se cobró nada");
    expect(voided).toContain("Importe anulado");
    expect(voided).not.toContain("Cambio");
  });
});
