import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectKioskError } from "../../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { toDecimalString } from "../../../payments/money.js";
import { decimalAmount, displayAmount } from "./money-text.js";
import { filterQuery, filterSql, parsePaymentFilter } from "./payment-filter.js";
import { CSV_HEADER, csvCell, csvLine, type PaymentRow } from "./payments-csv.js";

const row = (overrides: Partial<PaymentRow> = {}): PaymentRow => ({
  id: "0192f0aa-0000-7000-8000-000000000001",
  revision: 2,
  kind: "payment",
  status: "completed",
  device_id: "kiosk-a",
  invoice_id: "inv-1",
  invoice_number: "A-1001",
  client_id: "client-1",
  payment_date: "2026-03-01",
  amount_minor: "123456",
  currency: "USD",
  method_id: "card",
  method_name: "Credit Card",
  method_type: "card",
  method: { type: "card", cardType: "Visa", entryMode: "swiped", maskedPan: "424242******4242" },
  future_payment: false,
  due_date: null,
  refund_of: null,
  staff_id: null,
  note: null,
  created_at: "2026-03-01T17:00:00.000Z",
  voided_at: null,
  ...overrides,
});

describe("money in the export", () => {
  it("is the exact decimal of the minor units, for every currency's decimals", () => {
    expect(decimalAmount("123456", "USD")).toBe("1234.56");
    expect(decimalAmount(5, "USD")).toBe("0.05");
    expect(decimalAmount(-5, "USD")).toBe("-0.05");
    expect(decimalAmount("1234", "JPY")).toBe("1234");
    expect(decimalAmount("1234", "BHD")).toBe("1.234");
    // Beyond what a double holds exactly: still exact.
    expect(decimalAmount("123456789012345678901", "USD")).toBe("1234567890123456789.01");
    expect(decimalAmount("100", "XYZ")).toBeNull();
    expect(displayAmount("123456789", "USD")).toBe("1,234,567.89 USD");
    expect(displayAmount(-5, "USD")).toBe("-0.05 USD");
  });

  it("agrees with the domain's toDecimalString for any safe integer", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom("USD", "JPY", "BHD", "EUR"),
        (minor, currency) => {
          expect(decimalAmount(String(minor), currency)).toBe(toDecimalString({ minor, currency }));
        },
      ),
    );
  });
});

describe("CSV", () => {
  it("quotes what needs quoting and defuses formulas in every cell", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell(" padded")).toBe('" padded"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(false)).toBe("false");
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    for (const formula of ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "  =1", "\uff1d1+1"]) {
      expect(csvCell(formula).replace(/^"/, ""), JSON.stringify(formula)).toMatch(/^'/);
    }
    // Numbers stay numbers: a refund's amount is negative.
    expect(csvCell("-0.05")).toBe("-0.05");
    expect(csvCell("-12")).toBe("-12");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell("-1.2.3")).toBe("'-1.2.3");
  });

  it("no column of the export starts with a formula, whatever a kiosk sent (property)", () => {
    const trigger = fc.constantFrom("=", "+", "-", "@", "\t", "\r", "\n", " =", "\uff20");
    const hostile = fc.tuple(trigger, fc.string({ maxLength: 20 })).map(([start, rest]) => `${start}${rest}`);
    const isNumber = /^-?\d+(\.\d+)?$/;
    fc.assert(
      fc.property(hostile, (text) => {
        const line = csvLine(
          row({
            id: text,
            kind: text,
            status: text,
            device_id: text,
            invoice_id: text,
            invoice_number: text,
            client_id: text,
            payment_date: text,
            currency: "USD",
            method_name: text,
            method_type: text,
            method: {
              cardType: text,
              entryMode: text,
              maskedPan: text,
              authorizationCode: text,
              checkNumber: text,
            },
            due_date: text,
            refund_of: text,
            staff_id: text,
            created_at: text,
            voided_at: text,
            note: text,
          }),
        );
        const [cells] = parse(line, { relax_column_count: true }) as string[][];
        for (const cell of cells ?? []) {
          if (isNumber.test(cell)) continue;
          expect(cell, JSON.stringify(cell)).not.toMatch(/^[\s\u00a0]*[=+\-@\uff20]|^[\t\r\n]/);
        }
      }),
    );
  });

  it("reads back, field for field, with a CSV parser", () => {
    const lines = [
      row(),
      row({
        kind: "refund",
        amount_minor: "500",
        note: '=cmd|"/c calc"!A1, ñ',
        method_type: "cash",
        method: {
          type: "cash",
          amountTendered: { minor: 2000, currency: "USD" },
          changeDue: { minor: 1500, currency: "USD" },
        },
      }),
    ];
    const text = CSV_HEADER + lines.map(csvLine).join("");
    // A UTF-8 byte-order mark first, so a spreadsheet reads the accents as UTF-8.
    expect(Buffer.from(text, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const parsed = parse(text, { columns: true, bom: true }) as Record<string, string>[];
    expect(Object.keys(parsed[0] ?? {})[0]).toBe("record_id");
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toMatchObject({
      amount: "1234.56",
      amount_minor: "123456",
      currency: "USD",
      masked_pan: "424242******4242",
      card_type: "Visa",
      kiosk: "kiosk-a",
      payment_date: "2026-03-01",
      note: "",
    });
    expect(parsed[1]).toMatchObject({
      kind: "refund",
      amount: "5.00",
      amount_tendered: "20.00",
      change_due: "15.00",
      note: `'=cmd|"/c calc"!A1, ñ`,
    });
  });
});

describe("payment filters", () => {
  it("read the query, write it back and build parameterised SQL", () => {
    const filter = parsePaymentFilter(
      new URLSearchParams("from=2026-03-01&to=2026-03-31&kiosk=kiosk-a&method=card&kind=refund"),
    );
    expect(filter).toEqual({
      from: "2026-03-01",
      to: "2026-03-31",
      deviceId: "kiosk-a",
      method: "card",
      kind: "refund",
      studio: null,
      search: null,
    });
    expect(filterQuery(filter)).toBe("from=2026-03-01&to=2026-03-31&kiosk=kiosk-a&method=card&kind=refund");
    const sql = filterSql(filter);
    expect(sql.where).toBe(
      "WHERE payment_date >= $1::date AND payment_date <= $2::date AND device_id = $3 AND method_type = $4 AND kind = $5",
    );
    expect(sql.params).toEqual(["2026-03-01", "2026-03-31", "kiosk-a", "card", "refund"]);
    expect(filterSql(parsePaymentFilter(new URLSearchParams("kind=&method="))).where).toBe("");
  });

  it("find by invoice number or client name, matching what was typed as text, and by studio", () => {
    const filter = parsePaymentFilter(new URLSearchParams("q=100%25_Mü&studio=Estudio Peñalolén"));
    expect(filter).toMatchObject({ search: "100%_Mü", studio: "Estudio Peñalolén" });
    expect(filterQuery(filter)).toBe("studio=Estudio+Pe%C3%B1alol%C3%A9n&q=100%25_M%C3%BC");
    const sql = filterSql(filter);
    expect(sql.where).toContain("device_id IN (SELECT device_id FROM devices WHERE studio_name = $1)");
    expect(sql.where).toContain("invoice_number ILIKE $2");
    expect(sql.where).toContain("first_name || ' ' || last_name ILIKE $2");
    // LIKE's wildcards are escaped: "%" and "_" typed in the box match only themselves.
    expect(sql.params).toEqual(["Estudio Peñalolén", "%100\\%\\_Mü%"]);
    expectKioskError(
      () => parsePaymentFilter(new URLSearchParams({ q: "x".repeat(81) })),
      ErrorCodes.DASHBOARD_FILTER_INVALID,
    );
  });

  it("refuse malformed fields, naming each", () => {
    const error = expectKioskError(
      () => parsePaymentFilter(new URLSearchParams("from=2026-02-30&kiosk=Nope!&method=bitcoin&kind=x")),
      ErrorCodes.DASHBOARD_FILTER_INVALID,
    );
    expect(error.detail).toContain("from: a date written YYYY-MM-DD");
    expect(error.detail).toContain("kiosk: not a kiosk id");
    expect(error.detail).toContain("method: one of cash, check, card, gift, other");
    expect(error.detail).toContain("kind: one of payment, refund");
    expectKioskError(
      () => parsePaymentFilter(new URLSearchParams("from=2026-03-02&to=2026-03-01")),
      ErrorCodes.DASHBOARD_FILTER_INVALID,
    );
  });
});
