import type { Money } from "../money.js";
import { type Field, put } from "./field.js";
import { type MoneyValueSchema, moneyValue } from "./values.js";

type Range = { readonly min: number; readonly max: number };

const toNumber = (stored: unknown): unknown => (typeof stored === "number" ? stored : Number(stored));

/** Money in two columns, minor units and currency (central's minor units are bigint). */
export function moneyColumns<const M extends string, const Cur extends string>(
  minor: M,
  currency: Cur,
  range: Range,
): Field<
  MoneyValueSchema,
  { [P in M]: number } & { [P in Cur]: string },
  { [P in M]: unknown } & { [P in Cur]: unknown }
> {
  return {
    schema: moneyValue(range),
    freeText: false,
    kiosk: {
      columns: [
        { name: minor, type: "INTEGER", nullable: false },
        { name: currency, type: "TEXT", nullable: false },
      ],
      reads: [minor, currency],
      write: (value, row) => {
        put(row, minor, value.minor);
        put(row, currency, value.currency);
      },
      read: (row) => ({ minor: row[minor], currency: row[currency] }),
    },
    central: {
      columns: [
        { name: minor, type: "bigint", nullable: false },
        { name: currency, type: "text", nullable: false },
      ],
      reads: [minor, currency],
      write: (value, row) => {
        put(row, minor, value.minor);
        put(row, currency, value.currency);
      },
      read: (row) => ({ minor: toNumber(row[minor]), currency: row[currency] }),
    },
  };
}

/**
 * Money in one column of minor units, in the currency of another money field (whose currency
 * column it reads): the check keeps the currency that is not stored from ever differing.
 */
export function moneyInCurrencyOf<const M extends string>(
  minor: M,
  of: { readonly field: string; readonly currencyColumn: string },
  range: Range,
): Field<MoneyValueSchema, { [P in M]: number }, { [P in M]: unknown }> {
  const { currencyColumn } = of;
  return {
    schema: moneyValue(range),
    freeText: false,
    kiosk: {
      columns: [{ name: minor, type: "INTEGER", nullable: false }],
      reads: [minor, currencyColumn],
      write: (value, row) => {
        put(row, minor, value.minor);
      },
      read: (row) => ({ minor: row[minor], currency: row[currencyColumn] }),
    },
    central: {
      columns: [{ name: minor, type: "bigint", nullable: false }],
      reads: [minor, currencyColumn],
      write: (value, row) => {
        put(row, minor, value.minor);
      },
      read: (row) => ({ minor: toNumber(row[minor]), currency: row[currencyColumn] }),
    },
    check: (value, record) =>
      value.currency === (record[of.field] as Money | undefined)?.currency
        ? null
        : `in the ${of.field}'s currency`,
  };
}
