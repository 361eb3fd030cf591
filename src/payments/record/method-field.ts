import { z } from "zod";
import { isMaskedPan, type MaskedPan } from "../card/masked-pan.js";
import type { Money } from "../money.js";
import { CARD_ENTRY_MODES, type MethodType } from "../payment-method.js";
import type { RecordLimits } from "./bounds.js";
import { type Field, put } from "./field.js";
import { freeText, text } from "./text.js";
import { moneyValue } from "./values.js";

/** Accepts text that is a masked card number, typed as MaskedPan; anything else (a full number) fails. */
export const maskedPanSchema = z
  .string()
  .refine(isMaskedPan, "a masked card number (first 6, '*', last 4)")
  .transform((value) => value as MaskedPan);

/** A free-text key of a method's details: the rules and the scan name it. */
const free = <S extends z.ZodType>(schema: S) => ({ free: schema });
type Entry = z.ZodType | { readonly free: z.ZodType };
type Shape<E extends Record<string, Entry>> = {
  [K in keyof E]: E[K] extends { readonly free: infer S } ? S : E[K];
};

const shapeOf = <E extends Record<string, Entry>>(entries: E): Shape<E> =>
  Object.fromEntries(
    Object.entries(entries).map(([key, entry]) => [key, "free" in entry ? entry.free : entry]),
  ) as Shape<E>;
const freeKeysOf = (entries: Record<string, Entry>): string[] =>
  Object.entries(entries)
    .filter(([, entry]) => "free" in entry)
    .map(([key]) => key);

/** The fields each kind of payment method adds (Spectra's method-specific fields), with their bounds. */
function methodVariants(limits: RecordLimits) {
  const max = limits.maxAmountMinor;
  return {
    cash: {
      type: z.literal("cash"),
      /** What the client handed over (the rules allow the amount plus the limit); for a cash refund, null. */
      amountTendered: moneyValue({ min: 0, max: 2 * max }).nullable(),
      changeDue: moneyValue({ min: 0, max }).nullable(),
    },
    check: { type: z.literal("check"), checkNumber: free(freeText(15).regex(/^\d{1,15}$/)) },
    card: {
      type: z.literal("card"),
      /** From the method's prefix table (e.g. "Visa"), or chosen by staff. */
      cardType: free(freeText(40).nullable()),
      entryMode: z.enum(CARD_ENTRY_MODES),
      authorizationCode: z
        .string()
        .regex(/^[A-Za-z0-9]{1,12}$/)
        .nullable(),
      /** The processor's token for the card (for refunds and saved cards); never the number. */
      processorToken: text(128).nullable(),
      /** The processor's id of this charge or refund. */
      processorReference: text(128).nullable(),
      maskedPan: maskedPanSchema.nullable(),
      brand: free(freeText(40).nullable()),
    },
    gift: { type: z.literal("gift"), reference: free(freeText(64).nullable()) },
    other: { type: z.literal("other"), reference: free(freeText(64).nullable()) },
  } as const;
}

export function methodDetailsSchemaWithin(limits: RecordLimits) {
  const variants = methodVariants(limits);
  return z.discriminatedUnion("type", [
    z.strictObject(shapeOf(variants.cash)),
    z.strictObject(shapeOf(variants.check)),
    z.strictObject(shapeOf(variants.card)),
    z.strictObject(shapeOf(variants.gift)),
    z.strictObject(shapeOf(variants.other)),
  ]);
}

type MethodDetailsSchema = ReturnType<typeof methodDetailsSchemaWithin>;
type Details = z.output<MethodDetailsSchema>;

/** Per method type, the keys of its details that are free text. */
export const METHOD_FREE_TEXT: Readonly<Record<MethodType, readonly string[]>> = Object.fromEntries(
  Object.entries(methodVariants({ maxAmountMinor: 1 })).map(([type, entries]) => [type, freeKeysOf(entries)]),
) as Record<MethodType, string[]>;

/** Cash in the amount's currency: only minor units are compared, summed and shown. */
function cashAgrees(details: Details, record: Readonly<Record<string, unknown>>): string | null {
  if (details.type !== "cash") return null;
  const amount = record.amount as Money | undefined;
  const { amountTendered: tendered, changeDue: change } = details;
  if (
    (tendered && tendered.currency !== amount?.currency) ||
    (change && change.currency !== amount?.currency)
  )
    return "cash in the amount's currency";
  return null;
}

/** The method's details: their type in a column of its own, the whole as JSON (jsonb at central). */
export function methodField<const T extends string, const J extends string, const CJ extends string>(
  limits: RecordLimits,
  columns: { readonly type: T; readonly kioskJson: J; readonly centralJson: CJ },
): Field<
  MethodDetailsSchema,
  { [P in T]: string } & { [P in J]: string },
  { [P in T]: unknown } & { [P in CJ]: unknown }
> {
  const { type, kioskJson, centralJson } = columns;
  return {
    schema: methodDetailsSchemaWithin(limits),
    freeText: false,
    kiosk: {
      columns: [
        { name: type, type: "TEXT", nullable: false },
        { name: kioskJson, type: "TEXT", nullable: false },
      ],
      reads: [kioskJson],
      write: (value, row) => {
        put(row, type, value.type);
        put(row, kioskJson, JSON.stringify(value));
      },
      read: (row) => JSON.parse(row[kioskJson] as string),
    },
    central: {
      columns: [
        { name: type, type: "text", nullable: false },
        { name: centralJson, type: "jsonb", nullable: false },
      ],
      reads: [centralJson],
      write: (value, row) => {
        put(row, type, value.type);
        put(row, centralJson, value);
      },
      read: (row) => row[centralJson],
    },
    check: cashAgrees,
  };
}
