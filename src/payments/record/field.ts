import type { z } from "zod";

/** A value as SQLite keeps it. */
export type SqliteValue = string | number | null;

/** A column as its database declares it. */
export interface Column<Name extends string = string> {
  readonly name: Name;
  /** SQLite's STRICT type (TEXT, INTEGER), or PostgreSQL's (text, integer, bigint, boolean, date, timestamptz, jsonb). */
  readonly type: string;
  readonly nullable: boolean;
}

/** How one field of the record is kept in one database; Row is its share of a row. */
export interface Mapping<V, Row extends object> {
  /** The columns the field writes, in table order. */
  readonly columns: readonly Column<keyof Row & string>[];
  /** The columns it reads back: its own, and any it shares (an amount's currency). */
  readonly reads: readonly string[];
  /** Puts the value into its columns of `row`. */
  write(value: V, row: Row): void;
  /** The value back from a row; the record is checked (central) or trusted (kiosk) as a whole after. */
  read(row: Readonly<Record<string, unknown>>): unknown;
}

/** The record as a cross-field check sees it: every field by name, already valid on its own. */
export type RecordView = Readonly<Record<string, unknown>>;

/**
 * One field of the payment record: its rule (a zod schema with every bound) and its columns on the
 * kiosk (SQLite) and at central (PostgreSQL). K and C are its share of a row in each.
 */
export interface Field<S extends z.ZodType, K extends object, C extends object> {
  readonly schema: S;
  readonly kiosk: Mapping<z.output<S>, K>;
  readonly central: Mapping<z.output<S>, C>;
  /** Text a person typed or a processor wrote: scanned for card numbers (see freeText). */
  readonly freeText: boolean;
  /** What must hold between this field and the others; a message saying what is wrong, or null. */
  check?(value: z.output<S>, record: RecordView): string | null;
}

/** Sets a column of a row share whose keys TypeScript cannot follow through generic names. */
export function put(row: object, column: string, value: unknown): void {
  (row as Record<string, unknown>)[column] = value;
}

/** Any field, typed loosely: for the code that walks every field of the record. */
export interface AnyField {
  readonly schema: z.ZodType;
  readonly kiosk: Mapping<unknown, object>;
  readonly central: Mapping<unknown, object>;
  readonly freeText: boolean;
  check?(value: unknown, record: RecordView): string | null;
}

/** How a one-column value is written in each database and read back. */
export interface ColumnType<V, Stored extends SqliteValue = SqliteValue> {
  readonly sqlite: "TEXT" | "INTEGER";
  readonly postgres: string;
  toKiosk(value: V): Stored;
  fromKiosk(stored: unknown): unknown;
  toCentral(value: V): unknown;
  fromCentral(stored: unknown): unknown;
}

const same = (value: unknown): never => value as never;
const AS_IS = { toKiosk: same, fromKiosk: same, toCentral: same, fromCentral: same };

export const AS_TEXT: ColumnType<string, string> = { ...AS_IS, sqlite: "TEXT", postgres: "text" };

export const AS_INTEGER: ColumnType<number, number> = { ...AS_IS, sqlite: "INTEGER", postgres: "integer" };

/** SQLite has no booleans: 0 or 1 (its CHECK says so). */
export const AS_FLAG: ColumnType<boolean, number> = {
  ...AS_IS,
  sqlite: "INTEGER",
  postgres: "boolean",
  toKiosk: (value) => (value ? 1 : 0),
  fromKiosk: (stored) => stored === 1,
};

/** A studio date; central selects it as text (RECORD_SELECT), so no time zone can shift it. */
export const AS_DATE: ColumnType<string, string> = { ...AS_IS, sqlite: "TEXT", postgres: "date" };

/** An instant; PostgreSQL hands timestamptz back as a Date. */
export const AS_INSTANT: ColumnType<string, string> = {
  ...AS_IS,
  sqlite: "TEXT",
  postgres: "timestamptz",
  fromCentral: (stored) => (stored instanceof Date ? stored.toISOString() : stored),
};

/** A field kept in one column of the same name in both databases. */
export function column<const N extends string, S extends z.ZodType, Stored extends SqliteValue>(
  name: N,
  schema: S,
  type: ColumnType<z.output<S>, Stored>,
  options: { freeText?: boolean } = {},
): Field<S, { [P in N]: Stored }, { [P in N]: unknown }> {
  return {
    schema,
    freeText: options.freeText ?? false,
    kiosk: {
      columns: [{ name, type: type.sqlite, nullable: false }],
      reads: [name],
      write: (value, row) => put(row, name, type.toKiosk(value)),
      read: (row) => type.fromKiosk(row[name]),
    },
    central: {
      columns: [{ name, type: type.postgres, nullable: false }],
      reads: [name],
      write: (value, row) => put(row, name, type.toCentral(value)),
      read: (row) => type.fromCentral(row[name]),
    },
  };
}

/** A row share whose columns may also be null. */
export type OrNull<Row extends object> = { [P in keyof Row]: Row[P] | null };

function orNull<V, Row extends object>(mapping: Mapping<V, Row>): Mapping<V | null, OrNull<Row>> {
  const first = mapping.columns[0]?.name;
  return {
    columns: mapping.columns.map((column) => ({ ...column, nullable: true })),
    reads: mapping.reads,
    write: (value, row) => {
      if (value !== null) mapping.write(value, row as Row);
      else for (const column of mapping.columns) put(row, column.name, null);
    },
    // The field's first column says whether it is there: a shared column (currency) never does.
    read: (row) => (first === undefined || (row[first] ?? null) === null ? null : mapping.read(row)),
  };
}

/** The same field, absent (null) when its first column is null. */
export function nullable<S extends z.ZodType, K extends object, C extends object>(
  field: Field<S, K, C>,
): Field<z.ZodNullable<S>, OrNull<K>, OrNull<C>> {
  const { check } = field;
  return {
    schema: field.schema.nullable(),
    freeText: field.freeText,
    kiosk: orNull(field.kiosk),
    central: orNull(field.central),
    ...(check && {
      check: (value: z.output<S> | null, record: RecordView) =>
        value === null ? null : check(value, record),
    }),
  };
}

/** Same as orNull, but the value is absent (undefined) where the columns are null. */
function orAbsent<V, Row extends object>(mapping: Mapping<V, Row>): Mapping<V | undefined, OrNull<Row>> {
  const nullable = orNull(mapping);
  return {
    ...nullable,
    write: (value, row) => nullable.write(value ?? null, row),
    read: (row) => nullable.read(row) ?? undefined,
  };
}

/**
 * A field added after the first release: absent from records, rows and messages made before it
 * (NULL in its columns), so their content and hashes do not change, and old kiosks' messages
 * still read. Central must be updated before the kiosks that send it: an older central refuses
 * a key it does not know.
 */
export function optional<S extends z.ZodType, K extends object, C extends object>(
  field: Field<S, K, C>,
): Field<z.ZodOptional<S>, OrNull<K>, OrNull<C>> {
  const { check } = field;
  return {
    schema: field.schema.optional(),
    freeText: field.freeText,
    kiosk: orAbsent(field.kiosk),
    central: orAbsent(field.central),
    ...(check && {
      check: (value: z.output<S> | undefined, record: RecordView) =>
        value === undefined ? null : check(value, record),
    }),
  };
}

/** The same field with one more cross-field check. */
export function checked<S extends z.ZodType, K extends object, C extends object>(
  field: Field<S, K, C>,
  check: (value: z.output<S>, record: RecordView) => string | null,
): Field<S, K, C> {
  const before = field.check;
  return { ...field, check: (value, record) => before?.(value, record) ?? check(value, record) };
}
