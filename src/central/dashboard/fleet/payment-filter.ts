import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";
import { METHOD_TYPES } from "../../../payments/payment-method.js";
import { RECORD_KINDS } from "../../../payments/payment-record.js";
import { isStudioDate } from "../../../payments/studio-date.js";
import { isDeviceId } from "../../../sync/protocol/topics.js";

export type MethodType = (typeof METHOD_TYPES)[number];
export type RecordKind = (typeof RECORD_KINDS)[number];

/** What the payments page and its CSV export show; every field narrows, absent ones do not. */
export interface PaymentFilter {
  /** Payment dates (the studio's date) from and to, inclusive, YYYY-MM-DD. */
  readonly from: string | null;
  readonly to: string | null;
  readonly deviceId: string | null;
  readonly method: MethodType | null;
  readonly kind: RecordKind | null;
}

const includes = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/** Reads the filter from a query string; anything malformed is a coded error naming the field. */
export function parsePaymentFilter(query: URLSearchParams): PaymentFilter {
  const problems: string[] = [];
  const field = (name: string): string | null => {
    const value = query.get(name)?.trim() ?? "";
    return value === "" ? null : value;
  };
  const date = (name: string): string | null => {
    const value = field(name);
    if (value !== null && !isStudioDate(value)) problems.push(`${name}: a date written YYYY-MM-DD`);
    return value;
  };
  const from = date("from");
  const to = date("to");
  const deviceId = field("kiosk");
  if (deviceId !== null && !isDeviceId(deviceId)) problems.push("kiosk: not a kiosk id");
  const method = field("method");
  if (method !== null && !includes(METHOD_TYPES, method))
    problems.push(`method: one of ${METHOD_TYPES.join(", ")}`);
  const kind = field("kind");
  if (kind !== null && !includes(RECORD_KINDS, kind))
    problems.push(`kind: one of ${RECORD_KINDS.join(", ")}`);
  if (from !== null && to !== null && problems.length === 0 && from > to) problems.push("from: is after to");
  if (problems.length > 0) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_FILTER_INVALID,
      `The filter is not valid: ${problems.join("; ")}.`,
      {
        problems: problems.length,
      },
    );
  }
  return {
    from,
    to,
    deviceId,
    method: method as MethodType | null,
    kind: kind as RecordKind | null,
  };
}

/** The filter as a query string again (for links: the CSV export of what the page shows). */
export function filterQuery(filter: PaymentFilter): string {
  const query = new URLSearchParams();
  if (filter.from) query.set("from", filter.from);
  if (filter.to) query.set("to", filter.to);
  if (filter.deviceId) query.set("kiosk", filter.deviceId);
  if (filter.method) query.set("method", filter.method);
  if (filter.kind) query.set("kind", filter.kind);
  return query.toString();
}

/** The SQL condition and parameters for a filter, over payment_records. */
export function filterSql(filter: PaymentFilter, firstParam = 1): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (param: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(condition(`$${firstParam + params.length - 1}`));
  };
  if (filter.from) add((p) => `payment_date >= ${p}::date`, filter.from);
  if (filter.to) add((p) => `payment_date <= ${p}::date`, filter.to);
  if (filter.deviceId) add((p) => `device_id = ${p}`, filter.deviceId);
  if (filter.method) add((p) => `method_type = ${p}`, filter.method);
  if (filter.kind) add((p) => `kind = ${p}`, filter.kind);
  return { where: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", params };
}
