import { z } from "zod";
import { AMOUNT_CEILING_MINOR } from "./record/bounds.js";
import { freeText, text } from "./record/text.js";
import { currencyValue, idValue, instantValue } from "./record/values.js";

/**
 * The end-of-day paperwork a kiosk sends to central beside its records: shifts (opened and closed,
 * by whom), drawer counts (expected, counted, over/short) and the X and Z reports taken. Each item
 * is a whole revision, named by its id and revision, so central stores it idempotently (a resend is
 * a duplicate). Every field is bounded here, where central reads it.
 */

/** The most a day's total may reach: 10,000 payments at the records' ceiling. */
export const TOTAL_CEILING_MINOR = AMOUNT_CEILING_MINOR * 10_000;
/** The most records one report may count, and methods it may list. */
export const MAX_REPORT_RECORDS = 1_000_000;
export const MAX_REPORT_METHODS = 50;

const staffId = text(32, 1);
const deviceId = z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/, "a device id");
const total = z.number().int().min(-TOTAL_CEILING_MINOR).max(TOTAL_CEILING_MINOR);
const positiveTotal = z.number().int().min(0).max(TOTAL_CEILING_MINOR);
const count = z.number().int().min(0).max(MAX_REPORT_RECORDS);

export const shiftItemSchema = z
  .strictObject({
    type: z.literal("shift"),
    id: idValue,
    /** 1: opened · 2: closed (by the end-of-day report). */
    revision: z.union([z.literal(1), z.literal(2)]),
    deviceId,
    openedAt: instantValue,
    openedBy: staffId.nullable(),
    closedAt: instantValue.nullable(),
    closedBy: staffId.nullable(),
  })
  .refine((shift) => (shift.revision === 2) === (shift.closedAt !== null), {
    message: "revision 2 is the closed shift, and only it has closedAt",
    path: ["closedAt"],
  })
  .refine((shift) => shift.closedAt === null || shift.closedAt >= shift.openedAt, {
    message: "a shift closes after it opens",
    path: ["closedAt"],
  });

export const drawerCountItemSchema = z
  .strictObject({
    type: z.literal("drawer-count"),
    id: idValue,
    revision: z.literal(1),
    deviceId,
    shiftId: idValue,
    currency: currencyValue,
    countedMinor: z.number().int().min(0).max(AMOUNT_CEILING_MINOR),
    expectedMinor: total,
    /** counted − expected: positive is over, negative short. */
    differenceMinor: total,
    countedBy: staffId,
    countedAt: instantValue,
  })
  .refine((count) => count.differenceMinor === count.countedMinor - count.expectedMinor, {
    message: "differenceMinor is countedMinor − expectedMinor",
    path: ["differenceMinor"],
  });

export const methodTotalSchema = z.strictObject({
  methodId: text(40, 1),
  methodName: freeText(60).pipe(z.string().min(1)),
  paymentCount: count,
  paymentsMinor: positiveTotal,
  refundCount: count,
  refundsMinor: positiveTotal,
  netMinor: total,
});

export const reportItemSchema = z
  .strictObject({
    type: z.literal("report"),
    id: idValue,
    revision: z.literal(1),
    deviceId,
    shiftId: idValue,
    /** X: the shift so far, the shift stays open · Z: end of day, the shift closes. */
    report: z.enum(["X", "Z"]),
    takenAt: instantValue,
    takenBy: staffId,
    currency: currencyValue,
    byMethod: z.array(methodTotalSchema).max(MAX_REPORT_METHODS),
    paymentCount: count,
    paymentsMinor: positiveTotal,
    refundCount: count,
    refundsMinor: positiveTotal,
    voidCount: count,
    netMinor: total,
    expectedCashMinor: total,
  })
  .refine((report) => report.netMinor === report.paymentsMinor - report.refundsMinor, {
    message: "netMinor is paymentsMinor − refundsMinor",
    path: ["netMinor"],
  })
  .refine((report) => report.byMethod.reduce((sum, method) => sum + method.netMinor, 0) === report.netMinor, {
    message: "the methods' nets add up to netMinor",
    path: ["byMethod"],
  })
  .refine(
    (report) =>
      report.byMethod.every((method) => method.netMinor === method.paymentsMinor - method.refundsMinor),
    { message: "each method's netMinor is its paymentsMinor − refundsMinor", path: ["byMethod"] },
  );

export const endOfDayItemSchema = z.discriminatedUnion("type", [
  shiftItemSchema,
  drawerCountItemSchema,
  reportItemSchema,
]);

export type ShiftItem = z.infer<typeof shiftItemSchema>;
export type DrawerCountItem = z.infer<typeof drawerCountItemSchema>;
export type ReportItem = z.infer<typeof reportItemSchema>;
export type MethodTotal = z.infer<typeof methodTotalSchema>;
export type EndOfDayItem = z.infer<typeof endOfDayItemSchema>;
export type EndOfDayItemType = EndOfDayItem["type"];
