import type { ReportItem } from "./end-of-day.js";
import type { ShiftTotals } from "./shift-totals.js";

export interface ReportTaken {
  readonly id: string;
  readonly deviceId: string;
  readonly shiftId: string;
  readonly report: "X" | "Z";
  readonly takenAt: string;
  readonly takenBy: string;
  readonly currency: string;
}

/** A shift's totals as the X or Z report central receives: minor units, per method and in all. */
export function shiftReportItem(taken: ReportTaken, totals: ShiftTotals): ReportItem {
  return {
    type: "report",
    id: taken.id,
    revision: 1,
    deviceId: taken.deviceId,
    shiftId: taken.shiftId,
    report: taken.report,
    takenAt: taken.takenAt,
    takenBy: taken.takenBy,
    currency: taken.currency,
    byMethod: totals.byMethod.map((method) => ({
      methodId: method.methodId,
      methodName: method.methodName,
      paymentCount: method.paymentCount,
      paymentsMinor: method.payments.minor,
      refundCount: method.refundCount,
      refundsMinor: method.refunds.minor,
      netMinor: method.net.minor,
    })),
    paymentCount: totals.payments.count,
    paymentsMinor: totals.payments.total.minor,
    refundCount: totals.refunds.count,
    refundsMinor: totals.refunds.total.minor,
    voidCount: totals.voids.count,
    netMinor: totals.net.minor,
    expectedCashMinor: totals.expectedCash.minor,
  };
}
