import { z } from "zod";
import { DEVICE_ID_PATTERN } from "./topics.js";

/** The most invoice accounts one message carries (a page answering a request, or a push). */
export const MAX_ACCOUNTS_PAGE = 500;

const instant = z.iso.datetime({ offset: true });
const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const cursor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A sum of many records: within the safe integers, never negative. */
const summedMinor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** "Send me the invoice accounts changed after `since`": on every connection, a page at a time. */
export const accountsRequestSchema = z.strictObject({
  since: cursor,
  limit: z.number().int().min(1).max(MAX_ACCOUNTS_PAGE),
});

/**
 * One invoice's account as central keeps it, for one kiosk: what was paid and refunded on it away
 * from that kiosk (other kiosks' completed records, Spectra's payments), never that kiosk's own.
 */
export const elsewhereAccountSchema = z.strictObject({
  invoiceId: z.string().min(1).max(64),
  seq,
  currency: z.string().regex(/^[A-Z]{3}$/),
  paidMinor: summedMinor,
  refundedMinor: summedMinor,
  asOf: instant,
});

/**
 * Central's accounts for one kiosk: pushed after any payment, or a page answering `accountsRequest`
 * (`page` set). Signed like a command, under its own label, over every other field: the target
 * device, each account's change number (an older one never replaces a newer) and an expiry.
 */
export const invoiceAccountsSchema = z.strictObject({
  deviceId: z.string().regex(DEVICE_ID_PATTERN, "a device id"),
  accounts: z.array(elsewhereAccountSchema).max(MAX_ACCOUNTS_PAGE),
  page: z.strictObject({ since: cursor, cursor, more: z.boolean() }).nullable(),
  issuedAt: instant,
  expiresAt: instant,
  signature: z.string().max(1024).default(""),
});

export type AccountsRequest = z.infer<typeof accountsRequestSchema>;
export type ElsewhereAccount = z.infer<typeof elsewhereAccountSchema>;
export type InvoiceAccounts = z.infer<typeof invoiceAccountsSchema>;
