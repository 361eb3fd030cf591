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
  /** The studio the kiosks report (end of day links here); absent in filters made before it. */
  readonly studio?: string | null;
  /** An invoice number or a client's name, or part of one (case and accents as typed). */
  readonly search?: string | null;
}

/** No filter: every record. */
export const NO_FILTER: PaymentFilter = { from: null, to: null, deviceId: null, method: null, kind: null };

/** The longest search or studio name taken: a studio's name is at most 80 characters. */
const MAX_TEXT = 80;

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
  const studio = field("studio");
  if (studio !== null && studio.length > MAX_TEXT) problems.push(`studio: at most ${MAX_TEXT} characters`);
  const search = field("q");
  if (search !== null && search.length > MAX_TEXT) problems.push(`q: at most ${MAX_TEXT} characters`);
  const unstorable = [studio, search].some((value) => value?.includes("\u0000"));
  if (unstorable) problems.push("q: no NUL characters");
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
    studio,
    search,
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
  if (filter.studio) query.set("studio", filter.studio);
  if (filter.search) query.set("q", filter.search);
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
  if (filter.studio)
    add((p) => `device_id IN (SELECT device_id FROM devices WHERE studio_name = ${p})`, filter.studio);
  if (filter.search) {
    // Matched as text, never as a pattern: the LIKE wildcards a person types are escaped.
    const pattern = `%${filter.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    add(
      (p) => `(invoice_number ILIKE ${p} OR client_id IN (SELECT id FROM clients
        WHERE first_name || ' ' || last_name ILIKE ${p} OR last_name || ', ' || first_name ILIKE ${p}))`,
      pattern,
    );
  }
  return { where: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", params };
}
