import { describe, expect, it } from "vitest";
import { endOfDayItemSchema } from "./end-of-day.js";
import { AMOUNT_CEILING_MINOR } from "./record/bounds.js";

const count = {
  type: "drawer-count",
  id: "c-1",
  revision: 1,
  deviceId: "kiosk-a",
  shiftId: "s-1",
  currency: "USD",
  countedMinor: 9_950,
  expectedMinor: 10_000,
  differenceMinor: -50,
  countedBy: "csh",
  countedAt: "2026-12-02T18:00:00.000Z",
};
const report = {
  type: "report",
  id: "r-1",
  revision: 1,
  deviceId: "kiosk-a",
  shiftId: "s-1",
  report: "Z",
  takenAt: "2026-12-02T18:01:00.000Z",
  takenBy: "mgr",
  currency: "USD",
  byMethod: [
    {
      methodId: "cash",
      methodName: "Cash",
      paymentCount: 1,
      paymentsMinor: 10_000,
      refundCount: 1,
      refundsMinor: 500,
      netMinor: 9_500,
    },
  ],
  paymentCount: 1,
  paymentsMinor: 10_000,
  refundCount: 1,
  refundsMinor: 500,
  voidCount: 0,
  netMinor: 9_500,
  expectedCashMinor: 9_500,
};
const shift = {
  type: "shift",
  id: "s-1",
  revision: 2,
  deviceId: "kiosk-a",
  openedAt: "2026-12-02T08:00:00.000Z",
  openedBy: null,
  closedAt: "2026-12-02T18:01:00.000Z",
  closedBy: "mgr",
};

const problems = (value: unknown): string[] => {
  const result = endOfDayItemSchema.safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("end-of-day items as central reads them", () => {
  it("takes a drawer count, a report and a closed shift", () => {
    expect(problems(count)).toEqual([]);
    expect(problems(report)).toEqual([]);
    expect(problems(shift)).toEqual([]);
  });

  it("refuses a difference that is not counted − expected", () => {
    expect(problems({ ...count, differenceMinor: 50 })).toEqual([
      "differenceMinor: differenceMinor is countedMinor − expectedMinor",
    ]);
  });

  it("refuses totals that do not add up, and amounts beyond the ceiling or not whole", () => {
    expect(problems({ ...report, netMinor: 10_000 })).toContain(
      "netMinor: netMinor is paymentsMinor − refundsMinor",
    );
    expect(
      problems({
        ...count,
        countedMinor: AMOUNT_CEILING_MINOR + 1,
        differenceMinor: AMOUNT_CEILING_MINOR + 1 - 10_000,
      }),
    ).not.toEqual([]);
    expect(problems({ ...count, countedMinor: 99.5, differenceMinor: -10_000.5 })).not.toEqual([]);
    const methods = Array.from({ length: 51 }, () => report.byMethod[0]);
    expect(problems({ ...report, byMethod: methods })).not.toEqual([]);
  });

  it("refuses a closed shift without its closing time, an unknown type and extra fields", () => {
    expect(problems({ ...shift, closedAt: null })).not.toEqual([]);
    expect(problems({ ...shift, closedAt: "2026-12-01T08:00:00.000Z" })).not.toEqual([]);
    expect(problems({ ...count, type: "tip-jar" })).not.toEqual([]);
    expect(problems({ ...count, pan: "4111111111111111" })).not.toEqual([]);
  });

  it("refuses a card number in a method's name", () => {
    const byMethod = [{ ...report.byMethod[0], methodName: "4111 1111 1111 1111" }];
    expect(problems({ ...report, byMethod })).not.toEqual([]);
  });
});
