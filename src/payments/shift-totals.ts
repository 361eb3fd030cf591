import { add, type Money, subtract, zero } from "./money.js";
import type { PaymentRecord } from "./payment-record.js";

export interface CountedMoney {
  readonly count: number;
  readonly total: Money;
}

export interface MethodTotals {
  readonly methodId: string;
  readonly methodName: string;
  readonly payments: Money;
  readonly paymentCount: number;
  readonly refunds: Money;
  readonly refundCount: number;
  readonly net: Money;
}

/** What a shift took, for the shift (X) and end-of-day (Z) reports and the drawer count. */
export interface ShiftTotals {
  readonly byMethod: readonly MethodTotals[];
  /** Completed payments. */
  readonly payments: CountedMoney;
  /** Completed refunds. */
  readonly refunds: CountedMoney;
  readonly voids: CountedMoney;
  /** Future payments scheduled in the shift (no money moved yet). */
  readonly futurePayments: CountedMoney;
  readonly declined: CountedMoney;
  /** Payments less refunds. */
  readonly net: Money;
  /** Cash that should be in the drawer: cash payments less cash refunds. */
  readonly expectedCash: Money;
}

function counted(records: readonly PaymentRecord[], currency: string): CountedMoney {
  return {
    count: records.length,
    total: records.reduce((total, record) => add(total, record.amount), zero(currency)),
  };
}

/** Totals of a shift's records; pure, from the records alone. */
export function shiftTotals(records: readonly PaymentRecord[], currency: string): ShiftTotals {
  const completed = records.filter((record) => record.status === "completed");
  const payments = completed.filter((record) => record.kind === "payment");
  const refunds = completed.filter((record) => record.kind === "refund");
  const byMethod = new Map<string, MethodTotals>();
  for (const record of completed) {
    const current = byMethod.get(record.methodId) ?? {
      methodId: record.methodId,
      methodName: record.methodName,
      payments: zero(currency),
      paymentCount: 0,
      refunds: zero(currency),
      refundCount: 0,
      net: zero(currency),
    };
    const payment = record.kind === "payment";
    byMethod.set(record.methodId, {
      ...current,
      payments: payment ? add(current.payments, record.amount) : current.payments,
      paymentCount: current.paymentCount + (payment ? 1 : 0),
      refunds: payment ? current.refunds : add(current.refunds, record.amount),
      refundCount: current.refundCount + (payment ? 0 : 1),
      net: payment ? add(current.net, record.amount) : subtract(current.net, record.amount),
    });
  }
  const paid = counted(payments, currency);
  const refunded = counted(refunds, currency);
  const cash = (list: readonly PaymentRecord[]) =>
    counted(
      list.filter((record) => record.method.type === "cash"),
      currency,
    ).total;
  return {
    byMethod: [...byMethod.values()].sort((a, b) => a.methodName.localeCompare(b.methodName)),
    payments: paid,
    refunds: refunded,
    voids: counted(
      records.filter((record) => record.status === "voided"),
      currency,
    ),
    futurePayments: counted(
      records.filter((record) => record.status === "scheduled"),
      currency,
    ),
    declined: counted(
      records.filter((record) => record.status === "declined"),
      currency,
    ),
    net: subtract(paid.total, refunded.total),
    expectedCash: subtract(cash(payments), cash(refunds)),
  };
}
