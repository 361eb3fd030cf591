import { afterEach, describe, expect, it } from "vitest";
import { testCheckout } from "../../../../test/helpers/checkout.js";
import { cashPayment } from "../../../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../../../test/helpers/store.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";
import { createMemoryLogger } from "../../../core/logger.js";
import type { ReceiptDocument } from "../../../payments/receipt/receipt-document.js";
import { ReceiptDesk } from "./receipt-desk.js";

const STUDIO = { name: "Estudio Peña", address: ["Calle Mayor 5"], timeZone: "America/Denver" };

describe("the receipt desk", () => {
  let store: TestStore;
  afterEach(() => store.dispose());

  async function setUp(options: { printer?: boolean; mail?: boolean } = {}) {
    store = testStore();
    const checkout = await testCheckout(store, {
      staff: [{ id: "mgr", name: "Maria", role: "manager", pin: "1234" }],
    });
    const printed: ReceiptDocument[] = [];
    const mailed: { to: string; receipt: ReceiptDocument }[] = [];
    const desk = new ReceiptDesk({
      checkout,
      printer:
        options.printer === false
          ? null
          : {
              print: async (receipt) => {
                printed.push(receipt);
                return { printed: true };
              },
            },
      studio: STUDIO,
      kioskId: "kiosk-test",
      mailer:
        options.mail === false
          ? null
          : {
              send: async (request) => {
                mailed.push(request);
              },
            },
      logger: createMemoryLogger(),
    });
    const record = store.ledger.record(
      cashPayment(20_000, { methodFields: { type: "cash", amountTenderedMinor: 25_000 } }),
      { kind: "staff", staffId: "mgr" },
    );
    return { desk, record, printed, mailed };
  }

  it("composes a stored record's receipt with its client, balance and staff, in the asked language", async () => {
    const { desk, record, printed } = await setUp();
    expect(await desk.print({ recordId: record.id, locale: "es-ES", reprint: true })).toEqual({
      printed: true,
    });
    const [receipt] = printed;
    expect(receipt?.language).toBe("es");
    expect(receipt?.notices).toEqual(["*** REIMPRESIÓN ***"]);
    const rows = Object.fromEntries(receipt?.rows.map((row) => [row.label, row.value]) ?? []);
    expect(rows).toMatchObject({
      Cliente: "Ada Núñez",
      "Saldo pendiente": "50,00\u00a0US$",
      "Atendido por": "Maria",
      Terminal: "kiosk-test",
    });
  });

  it("answers a record it does not hold with RECEIPT_RECORD_UNKNOWN, printing nothing", async () => {
    const { desk, printed } = await setUp();
    const outcome = await desk.print({ recordId: "no-such-record", locale: "en-US", reprint: false });
    expect(outcome.printed).toBe(false);
    if (!outcome.printed) expect(outcome.error.code).toBe(ErrorCodes.RECEIPT_RECORD_UNKNOWN);
    expect(printed).toEqual([]);
  });

  it("says PRINTER_NOT_CONFIGURED without a printer, and MAIL_NOT_CONFIGURED without a mailer", async () => {
    const { desk, record } = await setUp({ printer: false, mail: false });
    const outcome = await desk.print({ recordId: record.id, locale: "en-US", reprint: false });
    if (!outcome.printed) expect(outcome.error.code).toBe(ErrorCodes.PRINTER_NOT_CONFIGURED);
    expect(outcome.printed).toBe(false);
    const error = await desk
      .email({ recordId: record.id, address: "ana@example.com", locale: "en-US" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(KioskError);
    expect((error as KioskError).code).toBe(ErrorCodes.MAIL_NOT_CONFIGURED);
  });

  it("hands the composed receipt and the address to the mailer", async () => {
    const { desk, record, mailed } = await setUp();
    await desk.email({ recordId: record.id, address: "ana@example.com", locale: "en-US" });
    expect(mailed).toHaveLength(1);
    expect(mailed[0]?.to).toBe("ana@example.com");
    expect(mailed[0]?.receipt.recordId).toBe(record.id);
    expect(mailed[0]?.receipt.notices).toEqual([]);
  });
});
