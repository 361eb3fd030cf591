import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type PaymentRecord,
  paymentRecordSchema,
  paymentRecordSchemaWithin,
  RECORD_FIELD_LIST,
} from "./payment-record.js";
import { AMOUNT_CEILING_MINOR, MAX_REVISION } from "./record/bounds.js";
import { freeTextOf } from "./record/free-text.js";
import { CARD_NUMBER_IN_TEXT } from "./record/text.js";

const fixture = JSON.parse(
  readFileSync(new URL("../../test/fixtures/payment-records-v1.json", import.meta.url), "utf8"),
) as { records: { record: PaymentRecord }[] };
const byIndex = (index: number): PaymentRecord =>
  (fixture.records[index] as { record: PaymentRecord }).record;
const cash = byIndex(0);
const cashRefund = byIndex(1);
const check = byIndex(2);
const card = byIndex(3);
const declined = byIndex(4);
const future = byIndex(5);
const gift = byIndex(6);
const other = byIndex(7);

const usd = (minor: number) => ({ minor, currency: "USD" });
const VISA = "4111111111111111";

/** Where the schema refuses a record, and why; [] when it accepts it. */
function problems(record: unknown, schema = paymentRecordSchema): string[] {
  const result = schema.safeParse(record);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("the payment record's description", () => {
  it("accepts every record the first release wrote", () => {
    for (const { record } of fixture.records) expect(problems(record)).toEqual([]);
  });

  it("refuses an amount that is negative, zero or above the ceiling", () => {
    for (const minor of [-5000, 0, 2 ** 53 - 1, AMOUNT_CEILING_MINOR + 1, 10.5]) {
      expect(problems({ ...cash, amount: usd(minor) })[0]).toMatch(/^amount\.minor: /);
    }
    expect(problems({ ...future, amount: usd(0) })[0]).toMatch(/^amount\.minor: /);
    expect(problems({ ...cash, amount: usd(AMOUNT_CEILING_MINOR), method: gift.method })).toEqual([]);
  });

  it("bounds money by a configured maximum when asked", () => {
    const within = paymentRecordSchemaWithin({ maxAmountMinor: 20_000 });
    expect(problems({ ...card, amount: usd(20_000) }, within)).toEqual([]);
    expect(problems({ ...card, amount: usd(20_001) }, within)).toEqual([
      "amount.minor: Too big: expected number to be <=20000",
    ]);
    expect(problems({ ...cash, method: { ...cash.method, amountTendered: usd(40_001) } }, within)[0]).toMatch(
      /^method\.amountTendered\.minor: Too big/,
    );
    expect(paymentRecordSchemaWithin({ maxAmountMinor: 20_000 })).toBe(within);
  });

  it("refuses negative tendered cash, change or overpayment, and an overpayment above the amount", () => {
    const method = cash.method;
    expect(problems({ ...cash, method: { ...method, amountTendered: usd(-1) } })[0]).toMatch(
      /^method\.amountTendered\.minor: Too small/,
    );
    expect(problems({ ...cash, method: { ...method, changeDue: usd(-1) } })[0]).toMatch(
      /^method\.changeDue\.minor: Too small/,
    );
    expect(problems({ ...card, overpayment: usd(-1) })[0]).toMatch(/^overpayment\.minor: Too small/);
    expect(problems({ ...card, overpayment: usd(card.amount.minor + 1) })).toEqual([
      "overpayment: at most the amount",
    ]);
  });

  it("keeps every money of a record in the amount's currency", () => {
    expect(problems({ ...card, overpayment: { minor: 5, currency: "EUR" } })).toEqual([
      "overpayment: in the amount's currency",
    ]);
    expect(
      problems({ ...cash, method: { ...cash.method, changeDue: { minor: 2_500, currency: "EUR" } } }),
    ).toEqual(["method: cash in the amount's currency"]);
  });

  it("keeps revisions within PostgreSQL's integer", () => {
    expect(problems({ ...gift, revision: MAX_REVISION })).toEqual([]);
    for (const revision of [0, -1, 2 ** 31, 1.5]) {
      expect(problems({ ...gift, revision })[0]).toMatch(/^revision: /);
    }
  });

  it("gives every string a length, and refuses text PostgreSQL cannot hold", () => {
    expect(problems({ ...cash, note: "x".repeat(500) })).toEqual([]);
    expect(problems({ ...cash, note: "x".repeat(501) })[0]).toMatch(/^note: Too big/);
    expect(problems({ ...cash, id: "x".repeat(65) })[0]).toMatch(/^id: Too big/);
    expect(problems({ ...cash, id: "" })[0]).toMatch(/^id: Too small/);
    expect(problems({ ...cash, invoiceNumber: "x".repeat(33) })[0]).toMatch(/^invoiceNumber: Too big/);
    expect(problems({ ...cash, note: "nul \u0000 inside" })).toEqual([
      "note: text without NUL characters or unpaired surrogates",
    ]);
    expect(problems({ ...cash, clientId: "half \uD83D pair" })).toEqual([
      "clientId: text without NUL characters or unpaired surrogates",
    ]);
    expect(problems({ ...cash, note: "a whole pair \uD83D\uDE00" })).toEqual([]);
    // Every string field has a bound: none accepts 10,000 characters.
    for (const [name] of RECORD_FIELD_LIST) {
      const value = (cash as Record<string, unknown>)[name];
      if (typeof value === "string")
        expect(problems({ ...cash, [name]: "7".repeat(10_000) })).not.toEqual([]);
    }
  });

  it("takes dates as dates, and instants as toISOString writes them", () => {
    expect(problems({ ...check, refundableUntil: "2026-02-30" })[0]).toMatch(/^refundableUntil: /);
    expect(problems({ ...check, paymentDate: "1969-12-31" })[0]).toMatch(/^paymentDate: /);
    expect(problems({ ...check, paymentDate: "9999-12-31" })).toEqual([]);
    expect(problems({ ...future, dueDate: "2026-5-1" })[0]).toMatch(/^dueDate: /);
    for (const instant of [
      "2026-03-14T17:02:03Z",
      "2026-03-14T17:02:03.456+00:00",
      "2026-03-14T18:02:03.456+01:00",
      "2026-03-14T17:02:03.4567Z",
      "2026-02-30T17:02:03.456Z",
      "0000-01-01T00:00:00.000Z",
    ]) {
      expect(problems({ ...cash, createdAt: instant })[0]).toMatch(/^createdAt: /);
    }
    expect(problems({ ...cash, voidedAt: "2026-03-14T23:59:59.999Z" })).toEqual([]);
  });

  it("refuses a full card number in any free-text field, without repeating it", () => {
    const spaced = "4111 1111 1111 1111";
    const attempts: [string, unknown][] = [
      ["note", { ...cash, note: `card ${VISA}` }],
      ["note", { ...cash, note: `card ${spaced}` }],
      ["methodName", { ...cash, methodName: VISA }],
      ["declineCode", { ...declined, declineCode: `DECLINED-${VISA}` }],
      ["method.reference", { ...gift, method: { type: "gift", reference: `GC ${spaced}` } }],
      ["method.reference", { ...other, method: { type: "other", reference: "3782-822463-10005" } }],
      ["method.checkNumber", { ...check, method: { type: "check", checkNumber: "4222222222222" } }],
      ["method.cardType", { ...card, method: { ...card.method, cardType: VISA } }],
      ["method.brand", { ...card, method: { ...card.method, brand: VISA } }],
    ];
    for (const [path, record] of attempts) {
      const found = problems(record);
      expect(found).toEqual([`${path}: ${CARD_NUMBER_IN_TEXT}`]);
      expect(found.join(" ")).not.toMatch(/\d{4}[ -]?\d{4}/);
    }
    // A masked number, a check number and a reference that are not card numbers pass.
    expect(problems({ ...cash, note: "card 411111******1111, last 4 1111" })).toEqual([]);
    expect(problems({ ...check, method: { type: "check", checkNumber: "4222222222223" } })).toEqual([]);
  });
});

describe("freeTextOf", () => {
  it("lists the free text of a record by path: what the description marks, and nothing else", () => {
    expect(freeTextOf({ ...cash, declineCode: "R1" })).toEqual([
      { path: "methodName", text: "Cash" },
      { path: "declineCode", text: "R1" },
      { path: "note", text: cash.note },
    ]);
    expect(freeTextOf(card).map((entry) => entry.path)).toEqual([
      "methodName",
      "method.cardType",
      "method.brand",
    ]);
    expect(freeTextOf(check).map((entry) => entry.path)).toEqual(["methodName", "method.checkNumber"]);
    expect(freeTextOf(gift).map((entry) => entry.path)).toEqual(["methodName", "method.reference"]);
    expect(freeTextOf(cashRefund).map((entry) => entry.path)).toEqual(["methodName"]);
  });
});
