import { setImmediate as nextTurn } from "node:timers/promises";
import type { Checkout } from "../../../checkout/checkout.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { isKioskError, KioskError } from "../../../core/kiosk-error.js";
import type { Logger } from "../../../core/logger.js";
import type { CardRead } from "../../../drivers/card-reader/card-read.js";
import type { ChargeResult, SelfServiceEffect, SelfServiceEvent } from "../../flows/self-service/index.js";
import type { InvoiceView } from "../../flows/self-service/screens.js";
import type { EffectRunner, Feed } from "../effect-runner.js";
import { chargeCard } from "./charge-card.js";
import { chargeOnReader } from "./charge-on-reader.js";
import { type BalanceAge, invoiceView } from "./invoice-view.js";
import { payOnPhone } from "./pay-on-phone.js";
import type { ReceiptSender } from "./print-receipt.js";

export interface SelfServiceEffectDeps {
  readonly checkout: Checkout;
  readonly printReceipt: ReceiptSender;
  /** The swipe the flow just took, handed over once (the runner then owns and wipes it). */
  readonly takeCard: () => CardRead | null;
  /** How current the balances are (null, or absent: current). */
  readonly balanceAge?: () => BalanceAge;
  readonly logger: Logger;
  /** The screen's language now: the receipt is printed in it. */
  readonly locale?: () => string;
  /** Has central email a record's receipt (ReceiptDesk.email); absent: not offered. */
  readonly emailReceipt?: (request: { recordId: string; address: string; locale: string }) => Promise<void>;
}

const WIPED: ChargeResult = {
  kind: "declined",
  problem: { code: "CARD_DATA_WIPED", message: "Swipe the card again." },
};

const UNCONFIRMED: ChargeResult = {
  kind: "unknown",
  problem: { code: "INTERNAL", message: "The payment could not be confirmed. Please see staff." },
};

/**
 * Runs what the self-service flow asks for — the invoice lookup (and its refresh when central's
 * balances change it) and the card charge through checkout
 * (a swipe here, or a collection on the smart reader), the receipt, the thank-you timer — and feeds
 * each result back as an event.
 */
export class SelfServiceEffects implements EffectRunner<SelfServiceEffect, SelfServiceEvent> {
  #timer: NodeJS.Timeout | null = null;
  /** The smart reader's collection under way: aborting it cancels it at the reader. */
  #collection: AbortController | null = null;
  /** The client's payment page under way: aborting it closes the page. */
  #payLink: AbortController | null = null;

  constructor(private readonly deps: SelfServiceEffectDeps) {}

  async run(effect: SelfServiceEffect, feed: Feed<SelfServiceEvent>): Promise<void> {
    const { checkout, logger } = this.deps;
    switch (effect.type) {
      case "find-invoice": {
        let invoice: InvoiceView | null = null;
        try {
          const found = checkout.findInvoice(effect.invoiceNumber, effect.lastName);
          invoice = found && invoiceView(found, this.deps.balanceAge?.() ?? null);
        } catch (error) {
          logger.error(`invoice lookup failed: ${(error as Error).message}`);
        }
        // Reported on the next turn, so the flow has taken its "searching" state first.
        await nextTurn();
        feed({ type: "lookup-finished", invoice });
        return;
      }
      case "refresh-invoice": {
        let invoice: InvoiceView | null = null;
        try {
          const found = checkout.findInvoice(effect.invoiceNumber, null);
          invoice = found && invoiceView(found, this.deps.balanceAge?.() ?? null);
        } catch (error) {
          logger.error(`invoice refresh failed: ${(error as Error).message}`);
        }
        // The flow keeps what it shows when the invoice cannot be looked at now.
        await nextTurn();
        if (invoice) feed({ type: "invoice-refreshed", invoice });
        return;
      }
      case "charge-card": {
        const card = this.deps.takeCard();
        if (!card) {
          await nextTurn();
          feed({ type: "charge-finished", result: WIPED });
          return;
        }
        const result = await chargeCard(checkout, card, effect).catch((error: unknown) => {
          logger.error(`card charge failed: ${(error as Error).message}`);
          return UNCONFIRMED;
        });
        feed({ type: "charge-finished", result });
        return;
      }
      case "collect-on-reader": {
        this.#collection?.abort();
        const collection = new AbortController();
        this.#collection = collection;
        const result = await chargeOnReader(checkout, effect, {
          progress: (step) => feed({ type: "reader-progress", step }),
          cancel: collection.signal,
        }).catch((error: unknown) => {
          logger.error(`card charge on the reader failed: ${(error as Error).message}`);
          return UNCONFIRMED;
        });
        if (this.#collection === collection) this.#collection = null;
        feed({ type: "charge-finished", result });
        return;
      }
      case "cancel-reader":
        this.#collection?.abort();
        return;
      case "start-pay-link": {
        this.#payLink?.abort();
        const page = new AbortController();
        this.#payLink = page;
        const result = await payOnPhone(checkout, effect, {
          onLink: (link) => feed({ type: "pay-link-ready", link }),
          cancel: page.signal,
        }).catch((error: unknown) => {
          logger.error(`payment by phone failed: ${(error as Error).message}`);
          return UNCONFIRMED;
        });
        if (this.#payLink === page) this.#payLink = null;
        feed({ type: "charge-finished", result });
        return;
      }
      case "close-pay-link":
        this.#payLink?.abort();
        return;
      case "print-receipt": {
        const printed = await this.deps
          .printReceipt(effect, this.deps.locale?.() ?? "en-US")
          .catch(() => false);
        feed({ type: "receipt-finished", printed });
        return;
      }
      case "email-receipt": {
        const { emailReceipt } = this.deps;
        try {
          if (!emailReceipt)
            throw new KioskError(
              ErrorCodes.MAIL_NOT_CONFIGURED,
              "Receipts cannot be emailed from this kiosk.",
            );
          await emailReceipt({
            recordId: effect.recordId,
            address: effect.address,
            locale: this.deps.locale?.() ?? "en-US",
          });
          feed({ type: "receipt-emailed", recordId: effect.recordId, error: null });
        } catch (error) {
          const view = isKioskError(error)
            ? { code: error.code, message: error.detail }
            : { code: ErrorCodes.INTERNAL, message: "The email could not be sent." };
          feed({ type: "receipt-emailed", recordId: effect.recordId, error: view });
        }
        return;
      }
      case "start-timer":
        if (this.#timer) clearTimeout(this.#timer);
        this.#timer = setTimeout(() => {
          this.#timer = null;
          feed({ type: "timer-expired", timer: effect.timer });
        }, effect.ms);
        this.#timer.unref();
        return;
    }
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    // Leaving the flow with the reader collecting: nothing may charge the card later.
    this.#collection?.abort();
    this.#collection = null;
    this.#payLink?.abort();
    this.#payLink = null;
  }
}
