import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { InvoiceTerms } from "../invoice.js";
import { cardKey, cardNetPaid, invoiceAccount } from "../invoice-account.js";
import type { PaymentRecord, RecordLine } from "../payment-record.js";

export interface VoidRequest {
  readonly record: PaymentRecord;
  readonly invoice: InvoiceTerms;
  readonly records: readonly RecordLine[];
  readonly currentShiftId: string | null;
  readonly role: "cashier" | "manager";
}

const refused = (reason: string, record: PaymentRecord): KioskError =>
  new KioskError(ErrorCodes.VOID_NOT_ALLOWED, reason, { recordId: record.id, status: record.status });

/**
 * A manager may void a completed (or still scheduled) record of the current shift that nothing has
 * refunded; later, money goes back by refund. Voiding must leave the invoice balanced.
 */
export function checkVoid(request: VoidRequest): void {
  const { record, records, invoice } = request;
  if (request.role !== "manager") throw refused("Only a manager can void a record.", record);
  if (record.status !== "completed" && record.status !== "scheduled") {
    throw refused(`A ${record.status} record cannot be voided.`, record);
  }
  if (request.currentShiftId === null || record.shiftId !== request.currentShiftId) {
    throw refused("Only records of the current shift can be voided: refund it instead.", record);
  }
  const refundedBy = records.some(
    (other) =>
      other.kind === "refund" &&
      other.refundOf === record.id &&
      other.status !== "voided" &&
      other.status !== "declined",
  );
  if (refundedBy) throw refused("This payment has been refunded, so it cannot be voided.", record);

  const remaining = records.map((other) =>
    other.id === record.id ? { ...other, status: "voided" as const } : other,
  );
  const after = invoiceAccount(invoice, remaining);
  const netPaid = after.paid.minor - after.refunded.minor - after.heldByRefunds.minor;
  if (netPaid < 0) throw refused("Voiding this payment would leave more refunded than paid.", record);
  const card = cardKey(record);
  if (
    record.kind === "payment" &&
    card !== null &&
    cardNetPaid(remaining, card, invoice.currency).minor < 0
  ) {
    throw refused("Voiding this payment would leave its card refunded more than it paid.", record);
  }
  // Credit may only exist where a payment recorded an overpayment its method allowed.
  const allowedCredit = records
    .filter((other) => other.kind === "payment" && other.status === "completed" && other.id !== record.id)
    .reduce((total, other) => total + (other.overpayment?.minor ?? 0), 0);
  if (after.credit.minor > allowedCredit) {
    throw refused(
      "Voiding this would leave the invoice overpaid: record a new payment or refund instead.",
      record,
    );
  }
}
