import { z } from "zod";
import { centralConfigSchema } from "../central/config.js";
import { staffMemberSchema } from "../checkout/staff/config.js";
import { driversConfigSchema } from "../drivers/config.js";
import { currencyDecimals } from "../payments/money.js";
import { paymentMethodSchema } from "../payments/payment-method.js";
import { AMOUNT_CEILING_MINOR } from "../payments/record/bounds.js";
import { isValidTimeZone } from "../payments/studio-date.js";
import { processorConfigSchema, processorIntegration } from "../processors/config.js";
import { remoteConfigSchema } from "../remote/config.js";
import { syncConfigSchema } from "../sync/config.js";
import { uiConfigSchema } from "../ui/config.js";
import { syncProblems } from "./sync-problems.js";

const isCurrency = (code: string): boolean => {
  try {
    currencyDecimals(code);
    return true;
  } catch {
    return false;
  }
};

const isLocale = (tag: string): boolean => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
};

const studioSchema = z.strictObject({
  name: z.string().min(1).max(80),
  /** The studio's address as it is printed on receipts and emails, one line each. */
  address: z.array(z.string().min(1).max(60)).max(4).default([]),
  timeZone: z.string().refine(isValidTimeZone, "an IANA time zone such as America/Denver"),
  currency: z.string().refine(isCurrency, "an ISO 4217 currency code such as USD"),
  /** The first locale is the screen's default; clients can switch to the others. */
  locales: z.array(z.string().refine(isLocale, "a BCP 47 locale such as en-US")).min(1).default(["en-US"]),
});

const limitsSchema = z.strictObject({
  /** The largest single payment or refund, in minor units of the studio's currency (at most the records' ceiling). */
  maxAmountMinor: z.number().int().positive().max(AMOUNT_CEILING_MINOR),
  selfService: z
    .strictObject({
      /** Whether a client may pay part of the balance at the counter. */
      allowPartial: z.boolean().default(true),
      /** The smallest part payment a client may make, in minor units. */
      minPartialMinor: z.number().int().positive().default(100),
    })
    .default({ allowPartial: true, minPartialMinor: 100 }),
});

const logSchema = z.strictObject({
  level: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
  /** A file to append to; standard output (journald under systemd) when absent. */
  file: z.string().optional(),
});

const unique = <T>(items: readonly T[], key: (item: T) => string): string | null => {
  const seen = new Set<string>();
  for (const item of items) {
    const value = key(item);
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return null;
};

export const kioskConfigSchema = z
  .strictObject({
    configVersion: z.literal(1),
    deviceId: z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/, "3–63 lowercase letters, digits and dashes"),
    studio: studioSchema,
    /** Where the kiosk keeps its SQLite database; relative paths are from the working directory. */
    dataDir: z.string().min(1),
    paymentMethods: z.array(paymentMethodSchema).min(1),
    limits: limitsSchema,
    staff: z.array(staffMemberSchema).default([]),
    drivers: driversConfigSchema.prefault({}),
    processor: processorConfigSchema.prefault({ kind: "manual" }),
    sync: syncConfigSchema.prefault({}),
    central: centralConfigSchema.prefault({}),
    ui: uiConfigSchema.prefault({}),
    log: logSchema.prefault({}),
    remote: remoteConfigSchema.prefault({}),
  })
  .superRefine((config, context) => {
    const duplicateMethod = unique(config.paymentMethods, (method) => method.id);
    if (duplicateMethod) {
      context.addIssue({
        code: "custom",
        path: ["paymentMethods"],
        message: `method id "${duplicateMethod}" is used twice`,
      });
    }
    const duplicateStaff = unique(config.staff, (member) => member.id);
    if (duplicateStaff) {
      context.addIssue({
        code: "custom",
        path: ["staff"],
        message: `staff id "${duplicateStaff}" is used twice`,
      });
    }
    config.paymentMethods.forEach((method, index) => {
      if (method.type !== "card" && method.cardPrefixes.length > 0) {
        context.addIssue({
          code: "custom",
          path: ["paymentMethods", index, "cardPrefixes"],
          message: "only card methods have card prefixes",
        });
      }
      if (
        method.type === "card" &&
        processorIntegration(config.processor) === "manual" &&
        !method.cardEntryModes.includes("manual")
      ) {
        context.addIssue({
          code: "custom",
          path: ["paymentMethods", index, "cardEntryModes"],
          message: 'with the manual processor a card method must allow "manual" entry',
        });
      }
    });
    for (const problem of syncProblems(config)) context.addIssue({ code: "custom", ...problem });
    if (config.central.alerts.email && config.central.mail === null) {
      context.addIssue({
        code: "custom",
        path: ["central", "alerts", "email"],
        message: "needs central.mail: alerts are emailed through central's SMTP relay",
      });
    }
    if (config.limits.selfService.minPartialMinor > config.limits.maxAmountMinor) {
      context.addIssue({
        code: "custom",
        path: ["limits", "selfService", "minPartialMinor"],
        message: "is larger than limits.maxAmountMinor",
      });
    }
  });

export type KioskConfig = z.infer<typeof kioskConfigSchema>;
