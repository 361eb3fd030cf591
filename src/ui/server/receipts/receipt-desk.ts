import type { Checkout } from "../../../checkout/checkout.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";
import type { Logger } from "../../../core/logger.js";
import type { PrintOutcome, ReceiptPrinter } from "../../../drivers/printer/receipt-printer.js";
import { composeReceipt, type ReceiptContext } from "../../../payments/receipt/compose-receipt.js";
import type { ReceiptDocument } from "../../../payments/receipt/receipt-document.js";
import type { ReceiptMailer } from "../../../payments/receipt/receipt-mailer.js";

export interface ReceiptDeskDeps {
  readonly checkout: Pick<Checkout, "receiptFacts">;
  /** null: the kiosk has no printer (nothing is printed, and the screens do not offer it). */
  readonly printer: Pick<ReceiptPrinter, "print"> | null;
  readonly studio: ReceiptContext["studio"];
  readonly kioskId: string;
  /** Asks central to email receipts; null when the kiosk does not sync with central. */
  readonly mailer: ReceiptMailer | null;
  readonly logger: Logger;
}

/** How a receipt is asked for: in the screen's language, and whether it is a copy. */
export interface ReceiptRequest {
  readonly recordId: string;
  readonly locale: string;
  readonly reprint: boolean;
}

/**
 * The receipts of this kiosk's records: composed from the committed record (payments/receipt) and
 * printed. Every record kind goes through here — self-service and staff payments, refunds, voids,
 * future payments, and reprints of any of them.
 */
export class ReceiptDesk {
  constructor(private readonly deps: ReceiptDeskDeps) {}

  get canPrint(): boolean {
    return this.deps.printer !== null;
  }

  /** The receipt of a record of this kiosk; RECEIPT_RECORD_UNKNOWN when there is no such record. */
  compose(request: ReceiptRequest): ReceiptDocument {
    const facts = this.deps.checkout.receiptFacts(request.recordId);
    if (!facts)
      throw new KioskError(
        ErrorCodes.RECEIPT_RECORD_UNKNOWN,
        "There is no such record on this kiosk to make a receipt of.",
        { recordId: request.recordId },
      );
    return composeReceipt(facts.record, {
      studio: this.deps.studio,
      locale: request.locale,
      clientName: facts.clientName,
      staffName: facts.staffName,
      kioskId: this.deps.kioskId,
      balanceRemaining: facts.balanceRemaining,
      reprint: request.reprint,
    });
  }

  /**
   * Has central email a record's receipt, in the screen's language, to an address the screen
   * checked (central checks it again). Resolves when central has handed it to the SMTP server;
   * rejects with a coded error otherwise — offline, it is not queued: the screen says so at once.
   */
  async email(request: { recordId: string; address: string; locale: string }): Promise<void> {
    const { mailer } = this.deps;
    if (!mailer)
      throw new KioskError(ErrorCodes.MAIL_NOT_CONFIGURED, "Receipts cannot be emailed from this kiosk.");
    const receipt = this.compose({ recordId: request.recordId, locale: request.locale, reprint: false });
    await mailer.send({ to: request.address, receipt });
    this.deps.logger.info("receipt emailed", { recordId: request.recordId });
  }

  /** Prints a record's receipt; never throws (a payment never fails because of the printer). */
  async print(request: ReceiptRequest): Promise<PrintOutcome> {
    const { printer, logger } = this.deps;
    if (!printer)
      return {
        printed: false,
        error: new KioskError(
          ErrorCodes.PRINTER_NOT_CONFIGURED,
          "No receipt printer is set up on this kiosk.",
        ),
      };
    try {
      return await printer.print(this.compose(request));
    } catch (error) {
      const reason =
        error instanceof KioskError
          ? error
          : new KioskError(ErrorCodes.INTERNAL, `The receipt could not be made: ${(error as Error).message}`);
      logger.warn(`receipt not printed: ${reason.message}`, { recordId: request.recordId });
      return { printed: false, error: reason };
    }
  }
}
