import { z } from "zod";
import { PREFIX_RULE_PATTERN } from "./card/card-brand.js";

export const METHOD_TYPES = ["cash", "check", "card", "gift", "other"] as const;
export type MethodType = (typeof METHOD_TYPES)[number];

export const CARD_ENTRY_MODES = ["swiped", "keyed", "manual"] as const;
export type CardEntryMode = (typeof CARD_ENTRY_MODES)[number];

export const cardPrefixRuleSchema = z.strictObject({
  prefix: z.string().regex(PREFIX_RULE_PATTERN, 'digits ("4") or a range of equal length ("51-55")'),
  cardType: z.string().min(1).max(40),
});

/** One entry of the studio's configurable payment-method list, as in Spectra's payment-method setup. */
export const paymentMethodSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "lowercase letters, digits and dashes"),
  name: z.string().min(1).max(40),
  type: z.enum(METHOD_TYPES),
  /** Card methods: leading digits → card type. Empty means the built-in table of common brands. */
  cardPrefixes: z.array(cardPrefixRuleSchema).default([]),
  /** Card methods: how a card may be taken with this method. */
  cardEntryModes: z.array(z.enum(CARD_ENTRY_MODES)).min(1).default(["swiped", "keyed", "manual"]),
  opensCashDrawer: z.boolean().default(false),
  allowsOverpayment: z.boolean().default(false),
  /** "self-service": clients may use it at the counter (and staff too); "staff": staff only. */
  availability: z.enum(["self-service", "staff"]).default("staff"),
  enabled: z.boolean().default(true),
});

export type PaymentMethod = z.infer<typeof paymentMethodSchema>;
