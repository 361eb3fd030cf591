import { z } from "zod";
import type { Money } from "./money.js";

const minor = z.number().int().refine(Number.isSafeInteger, "a whole number of minor units");

export const invoiceLineSchema = z.strictObject({
  description: z.string().min(1).max(200),
  quantity: z.number().int().min(1).max(100_000),
  amountMinor: minor,
});

/** An invoice as central sends it to the kiosks; the kiosk keeps the newest version it has seen. */
export const invoiceSchema = z.strictObject({
  id: z.string().min(1).max(64),
  number: z.string().min(1).max(32),
  client: z.strictObject({
    id: z.string().min(1).max(64),
    firstName: z.string().max(80),
    lastName: z.string().min(1).max(80),
  }),
  sessionId: z.string().max(64).nullable(),
  lines: z.array(invoiceLineSchema).max(500),
  totalMinor: minor.refine((value) => value >= 0, "not negative"),
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** Increases with every change at central; a kiosk ignores an update older than what it holds. */
  version: z.number().int().min(1),
});

export type Invoice = z.infer<typeof invoiceSchema>;

/**
 * What central counts on an invoice beyond this kiosk's own records: completed payments and refunds
 * at other kiosks and in Spectra (the import, the integration API), as of central's time `asOf`.
 */
export interface PaidElsewhere {
  readonly paidMinor: number;
  readonly refundedMinor: number;
  readonly asOf: string;
}

/** What the payment rules read of an invoice: whom and how much it bills, not its lines or names. */
export type InvoiceTerms = Pick<Invoice, "id" | "number" | "sessionId" | "totalMinor" | "currency"> & {
  readonly client: Pick<Invoice["client"], "id">;
  /** What central counts on the invoice from other kiosks and Spectra; null when it told of nothing. */
  readonly elsewhere?: PaidElsewhere | null;
};
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

export function invoiceTotal(invoice: Invoice): Money {
  return { minor: invoice.totalMinor, currency: invoice.currency };
}
