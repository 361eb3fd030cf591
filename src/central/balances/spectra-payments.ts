import { z } from "zod";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { AMOUNT_CEILING_MINOR } from "../../payments/record/bounds.js";
import type { Sql } from "../db/central-db.js";

/**
 * A payment (or refund) made in Spectra, outside the kiosks — a deposit at the front desk — as the
 * import and the integration API bring it. Its reference is Spectra's own and names it once: sent
 * again, it changes nothing.
 */
export const spectraPaymentSchema = z.strictObject({
  reference: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,63}$/, "1–64 letters, digits and . _ : / # -"),
  invoiceId: z.string().min(1).max(64),
  kind: z.enum(["payment", "refund"]).default("payment"),
  amountMinor: z.number().int().min(1).max(AMOUNT_CEILING_MINOR),
  currency: z.string().regex(/^[A-Z]{3}$/),
  paidOn: z.iso.date(),
  method: z.string().trim().min(1).max(40),
});

export type SpectraPayment = z.infer<typeof spectraPaymentSchema>;

export interface PaymentsWritten {
  /** Payments new to central. */
  readonly recorded: number;
  /** Payments central had already, unchanged (sent again). */
  readonly known: number;
}

const same = (a: SpectraPayment, b: SpectraPayment): boolean =>
  a.invoiceId === b.invoiceId &&
  a.kind === b.kind &&
  a.amountMinor === b.amountMinor &&
  a.currency === b.currency &&
  a.paidOn === b.paidOn &&
  a.method === b.method;

interface StoredRow {
  reference: string;
  invoice_id: string;
  kind: "payment" | "refund";
  amount_minor: unknown;
  currency: string;
  paid_on: string;
  method: string;
}

/**
 * Writes Spectra's payments in the caller's transaction: every one must be for an invoice central
 * has, in its currency; a reference central holds with other content is refused
 * (CENTRAL_PAYMENT_REFERENCE_CONFLICT) and, thrown, rolls the whole transaction back.
 */
export async function writeSpectraPayments(
  tx: Sql,
  payments: readonly SpectraPayment[],
  source: string,
  at: string,
): Promise<PaymentsWritten> {
  if (payments.length === 0) return { recorded: 0, known: 0 };
  const byReference = new Map<string, SpectraPayment>();
  for (const payment of payments) {
    const seen = byReference.get(payment.reference);
    if (seen && !same(seen, payment)) throw conflict(payment.reference);
    byReference.set(payment.reference, payment);
  }
  const unique = [...byReference.values()];
  const invoices = await tx.query<{ id: string; currency: string }>(
    "SELECT id, currency FROM invoices WHERE id = ANY($1::text[])",
    [[...new Set(unique.map((payment) => payment.invoiceId))]],
  );
  const currencies = new Map(invoices.map((row) => [row.id, row.currency]));
  for (const payment of unique) {
    const currency = currencies.get(payment.invoiceId);
    if (currency === undefined)
      throw new KioskError(
        ErrorCodes.CENTRAL_PAYMENT_INVOICE_UNKNOWN,
        `Payment ${payment.reference} is for invoice ${payment.invoiceId}, which central does not have; nothing was recorded.`,
        { reference: payment.reference },
      );
    if (currency !== payment.currency)
      throw new KioskError(
        ErrorCodes.CENTRAL_PAYMENT_INVALID,
        `Payment ${payment.reference} is in ${payment.currency}; invoice ${payment.invoiceId} is in ${currency}. Nothing was recorded.`,
        { reference: payment.reference },
      );
  }
  const rows = unique.map((payment) => ({
    reference: payment.reference,
    invoice_id: payment.invoiceId,
    kind: payment.kind,
    amount_minor: payment.amountMinor,
    currency: payment.currency,
    paid_on: payment.paidOn,
    method: payment.method,
  }));
  const inserted = await tx.query<{ reference: string }>(
    `INSERT INTO invoice_payments (reference, invoice_id, kind, amount_minor, currency, paid_on, method, source, recorded_at)
     SELECT r.reference, r.invoice_id, r.kind, r.amount_minor, r.currency, r.paid_on, r.method, $2, $3::timestamptz
       FROM jsonb_to_recordset($1::jsonb) AS r(reference text, invoice_id text, kind text, amount_minor bigint,
            currency text, paid_on date, method text)
     ON CONFLICT (reference) DO NOTHING
     RETURNING reference`,
    [JSON.stringify(rows), source, at],
  );
  const fresh = new Set(inserted.map((row) => row.reference));
  const again = unique.filter((payment) => !fresh.has(payment.reference));
  if (again.length > 0) {
    const stored = await tx.query<StoredRow>(
      `SELECT reference, invoice_id, kind, amount_minor, currency, to_char(paid_on, 'YYYY-MM-DD') AS paid_on, method
         FROM invoice_payments WHERE reference = ANY($1::text[])`,
      [again.map((payment) => payment.reference)],
    );
    const held = new Map(stored.map((row) => [row.reference, row]));
    for (const payment of again) {
      const row = held.get(payment.reference);
      const as: SpectraPayment | null = row
        ? {
            reference: row.reference,
            invoiceId: row.invoice_id,
            kind: row.kind,
            amountMinor: Number(row.amount_minor),
            currency: row.currency,
            paidOn: row.paid_on,
            method: row.method,
          }
        : null;
      if (!as || !same(as, payment)) throw conflict(payment.reference);
    }
  }
  return { recorded: fresh.size, known: again.length };
}

function conflict(reference: string): KioskError {
  return new KioskError(
    ErrorCodes.CENTRAL_PAYMENT_REFERENCE_CONFLICT,
    `Payment reference ${reference} is already recorded with another invoice, amount, date or method; nothing was recorded. A payment's reference names one payment: correct it in Spectra, or use a new reference.`,
    { reference },
  );
}
