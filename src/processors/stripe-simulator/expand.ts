import type { SimulatorBooks } from "./books.js";
import type { ParamValue } from "./form-body.js";
import { SimulatedFailure } from "./simulated-failure.js";

const BY_PREFIX: readonly [string, keyof SimulatorBooks][] = [
  ["pi_", "paymentIntents"],
  ["ch_", "charges"],
  ["re_", "refunds"],
  ["cus_", "customers"],
  ["pm_", "paymentMethods"],
  ["seti_", "setupIntents"],
  ["tml_", "locations"],
  ["tmr_", "readers"],
  ["cs_", "sessions"],
];

function lookUp(books: SimulatorBooks, id: string): unknown {
  const entry = BY_PREFIX.find(([prefix]) => id.startsWith(prefix));
  const map = entry ? (books[entry[1]] as Map<string, unknown>) : null;
  return map?.get(id) ?? id;
}

/**
 * Stripe's `expand[]`: each named field holding an id is replaced by the object (`latest_charge`,
 * `setup_intent.payment_method`, `data.latest_charge` in a list), up to four levels as Stripe allows.
 */
export function expand(books: SimulatorBooks, value: unknown, paths: ParamValue | undefined): unknown {
  if (paths === undefined) return value;
  if (!Array.isArray(paths) || paths.some((path) => typeof path !== "string"))
    throw SimulatedFailure.invalidRequest(
      "Invalid expand: pass a list of field paths.",
      "parameter_invalid",
      "expand",
    );
  let result = value;
  for (const path of paths as string[]) {
    const segments = path.split(".");
    if (segments.length > 4)
      throw SimulatedFailure.invalidRequest(
        `You cannot expand more than 4 levels: ${path}`,
        "parameter_invalid",
        "expand",
      );
    result = expandPath(books, result, segments);
  }
  return result;
}

function expandPath(books: SimulatorBooks, value: unknown, segments: string[]): unknown {
  if (segments.length === 0 || value === null || typeof value !== "object") return value;
  const [head, ...rest] = segments as [string, ...string[]];
  if (Array.isArray(value)) return value.map((item) => expandPath(books, item, segments));
  const record = value as Record<string, unknown>;
  if (!Object.hasOwn(record, head)) return value;
  let field = record[head];
  if (typeof field === "string" && rest.length === 0) field = lookUp(books, field);
  else if (typeof field === "string") field = expandPath(books, lookUp(books, field), rest);
  else field = expandPath(books, field, rest);
  return { ...record, [head]: field };
}
