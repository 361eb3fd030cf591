import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { context, invoice, METHODS } from "../../../test/helpers/payments.js";
import { isKioskError } from "../../core/kiosk-error.js";
import { cardKey, invoiceAccount } from "../invoice-account.js";
import type { PaymentDraftInput } from "../payment-draft.js";
import type { PaymentRecord } from "../payment-record.js";
import { createRecord, parseDraft } from "./create-record.js";
import { checkVoid } from "./void-rules.js";

type Step =
  | { op: "pay"; methodId: "cash" | "card" | "check"; amountMinor: number; card: 0 | 1 }
  | { op: "refund"; methodId: "cash" | "card"; amountMinor: number; target: number }
  | { op: "void"; target: number };

// Mostly round amounts that fit several times into a total, so sequences build real histories;
// sometimes anything, including zero, negatives and overflows.
const amount = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(1_000, 2_000, 2_500, 5_000, 8_000) },
  { weight: 1, arbitrary: fc.integer({ min: -100, max: 70_000 }) },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("pay" as const),
      methodId: fc.constantFrom("cash", "card", "card", "check"),
      amountMinor: amount,
      card: fc.constantFrom(0 as const, 1 as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("refund" as const),
      methodId: fc.constantFrom("cash", "card", "card"),
      amountMinor: amount,
      target: fc.nat(20),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("void" as const), target: fc.nat(20) }) },
);

const PANS = ["411111******1111", "378282*****0005"] as const;

function draft(s: Exclude<Step, { op: "void" }>, records: PaymentRecord[]): PaymentDraftInput {
  const base = { invoiceId: "inv-1", amountMinor: s.amountMinor, currency: "USD", methodId: s.methodId };
  const fields =
    s.methodId === "cash"
      ? { type: "cash" as const, amountTenderedMinor: null }
      : s.methodId === "check"
        ? { type: "check" as const, checkNumber: "1001" }
        : {
            type: "card" as const,
            entryMode: "manual" as const,
            authorizationCode: "OK1",
            maskedPan: PANS[s.op === "pay" ? s.card : 0],
          };
  if (s.op === "pay") return { ...base, kind: "payment", methodFields: fields };
  const payments = records.filter((r) => r.kind === "payment");
  const target = payments.length > 0 ? payments[s.target % payments.length] : undefined;
  return {
    ...base,
    kind: "refund",
    methodFields: fields,
    refundOf: s.methodId === "card" ? (target?.id ?? null) : null,
  };
}

describe("balance invariants under any sequence of accepted payments, refunds and voids", () => {
  it("never lets payments − refunds exceed the total, a refund exceed what was paid, or a card get back more than it paid", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 30_000 }), fc.constantFrom(10_000, 20_000, 25_000)),
        fc.array(step, { maxLength: 30 }),
        (total, steps) => {
          const inv = invoice({ totalMinor: total });
          let records: PaymentRecord[] = [];
          let id = 0;
          for (const s of steps) {
            try {
              if (s.op === "void") {
                const target = records[s.target % Math.max(1, records.length)];
                if (!target) continue;
                checkVoid({
                  record: target,
                  invoice: inv,
                  records,
                  currentShiftId: "shift-1",
                  role: "manager",
                });
                records = records.map((r) => (r.id === target.id ? { ...r, status: "voided" } : r));
                continue;
              }
              id += 1;
              const record = createRecord(
                parseDraft(draft(s, records)),
                context({ invoice: inv, records, methods: METHODS }),
                { id: `r${id}`, deviceId: "k", shiftId: "shift-1", now: new Date("2026-11-26T17:00:00Z") },
              );
              records = [...records, record];
            } catch (error) {
              if (!isKioskError(error)) throw error; // a rule said no: fine, nothing changed
            }
          }
          const account = invoiceAccount(inv, records);
          const exactPaid = records
            .filter((r) => r.kind === "payment" && r.status === "completed")
            .reduce((sum, r) => sum + BigInt(r.amount.minor), 0n);
          const exactRefunded = records
            .filter((r) => r.kind === "refund" && r.status === "completed")
            .reduce((sum, r) => sum + BigInt(r.amount.minor), 0n);
          expect(BigInt(account.paid.minor)).toBe(exactPaid);
          expect(BigInt(account.refunded.minor)).toBe(exactRefunded);
          expect(exactPaid - exactRefunded).toBeLessThanOrEqual(BigInt(total)); // no method here allows overpayment
          expect(exactRefunded).toBeLessThanOrEqual(exactPaid);
          expect(account.balance.minor + account.paid.minor - account.refunded.minor).toBe(total);
          for (const pan of PANS) {
            const onCard = (kind: string) =>
              records
                .filter((r) => r.kind === kind && r.status === "completed" && cardKey(r) === pan)
                .reduce((sum, r) => sum + r.amount.minor, 0);
            expect(onCard("refund")).toBeLessThanOrEqual(onCard("payment"));
          }
        },
      ),
      { numRuns: 30_000 },
    );
  });
});
