import type { Checkout } from "../../../checkout/checkout.js";
import type { ChargeOutcome, PaymentDraftInput } from "../../../checkout/checkout-types.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { isKioskError, KioskError } from "../../../core/kiosk-error.js";
import type { Logger } from "../../../core/logger.js";
import type { CardRead } from "../../../drivers/card-reader/card-read.js";
import type { CashDrawer } from "../../../drivers/gpio/cash-drawer.js";
import type { ErrorView, StaffEffect, StaffEvent, StaffMemberView } from "../../flows/staff/index.js";
import type { EffectRunner, Feed as FeedOf } from "../effect-runner.js";
import type { HostedFormRelay } from "../hosted-form-relay.js";
import type { ReceiptDesk } from "../receipts/receipt-desk.js";
import { qrCode } from "../self-service/qr-code.js";
import {
  drawerCountView,
  foundPaymentLine,
  invoiceView,
  recordLine,
  reportView,
  savedView,
} from "./views.js";

export interface StaffEffectDeps {
  readonly checkout: Checkout;
  /** The drawer the screen opens after a cash payment (a device it drives, like the printer). */
  readonly cashDrawer: CashDrawer | null;
  readonly logger: Logger;
  /** The time for events that need it (wrong-PIN lockouts), in epoch ms. */
  readonly now: () => number;
  /** Leaves staff mode (sign out, or "back" from the keypad). */
  readonly leave: () => void;
  /** How often the processor's hosted page is asked whether staff finished keying. */
  readonly keyedPollMs?: number;
  /** Opens hosted forms that take their token by POST (Authorize.Net's) through the screen's server. */
  readonly hostedForms?: HostedFormRelay;
  /** Prints and emails receipts; absent in tests of other things (print effects then fail with a code). */
  readonly receipts?: Pick<ReceiptDesk, "print" | "email">;
  /** The screen's language now: receipts are written in it. */
  readonly locale?: () => string;
}

/** Results go back to the staff flow as its events. */
type Feed = FeedOf<StaffEvent>;

/** A coded error for the screen; anything unexpected is logged and shown as INTERNAL. */
export function errorView(error: unknown, logger: Logger): ErrorView {
  if (isKioskError(error)) return { code: error.code, message: error.detail };
  logger.error(`staff action failed: ${(error as Error).message}`);
  return { code: ErrorCodes.INTERNAL, message: "Something went wrong; try again or ask a manager." };
}

const actor = (staff: StaffMemberView) => ({ id: staff.id, role: staff.role });

/**
 * Runs what the staff flow asks for — PIN checks, invoice lookups, payments, refunds and voids, keyed
 * entry, reports, drawer counts, the lock, all through checkout; the drawer pulse itself — and feeds
 * each result back as an event. Nothing here throws at the caller: every failure becomes a coded event.
 */
export class StaffEffects implements EffectRunner<StaffEffect, StaffEvent> {
  readonly #keyed = new Map<string, ReturnType<typeof setInterval>>();
  /** The smart reader's collection under way: aborting it cancels it at the reader. */
  #collection: AbortController | null = null;
  /** The client's payment page under way: aborting it closes the page. */
  #payLink: AbortController | null = null;

  constructor(private readonly deps: StaffEffectDeps) {}

  async run(effect: StaffEffect, feed: Feed): Promise<void> {
    try {
      await this.#run(effect, feed);
    } catch (error) {
      const view = errorView(error, this.deps.logger);
      feed(
        effect.type === "save-record"
          ? { type: "record-refused", error: view }
          : { type: "effect-failed", error: view },
      );
    }
  }

  /**
   * A card swiped while the swipe screen waits: charged through the processor, never twice. The
   * swipe's clear data is wiped whatever happens; a swipe that cannot be charged is refused with its
   * code, and the swipe screen takes the next one.
   */
  async chargeSwipe(
    draft: PaymentDraftInput,
    staff: StaffMemberView,
    read: CardRead,
    feed: Feed,
    saveCard = false,
  ): Promise<void> {
    try {
      const outcome = await this.deps.checkout.payWithSwipe(
        draft,
        { kind: "staff", staffId: staff.id },
        read,
        () => feed({ type: "card-charging" }),
        { saveCard },
      );
      feed(outcomeEvent(outcome));
    } catch (error) {
      read.secrets.wipe();
      feed({ type: "record-refused", error: errorView(error, this.deps.logger) });
    }
  }

  /** Stops polling the processor's hosted pages (the mode was reset, or the kiosk is stopping). */
  stop(): void {
    for (const timer of this.#keyed.values()) clearInterval(timer);
    this.#keyed.clear();
    this.#collection?.abort();
    this.#collection = null;
    this.#payLink?.abort();
    this.#payLink = null;
  }

  /** A card payment on the client's phone: the page's QR code fed to the screen, the outcome after. */
  async #payOnPhone(effect: Extract<StaffEffect, { type: "start-pay-link" }>, feed: Feed): Promise<void> {
    this.#payLink?.abort();
    const page = new AbortController();
    this.#payLink = page;
    try {
      const outcome = await this.deps.checkout.payByPhone(
        effect.draft,
        { kind: "staff", staffId: effect.staff.id },
        {
          description: `Invoice ${effect.invoiceNumber}`,
          onLink: (link) =>
            feed({
              type: "pay-link-ready",
              link: { url: link.url, expiresAt: link.expiresAt, qr: qrCode(link.url) },
            }),
          cancel: page.signal,
        },
      );
      feed(outcomeEvent(outcome));
    } finally {
      if (this.#payLink === page) this.#payLink = null;
    }
  }

  /** A payment on the smart reader, its steps fed as they come; cancelled when staff say so. */
  async #collectOnReader(
    draft: PaymentDraftInput,
    staff: StaffMemberView,
    saveCard: boolean,
    feed: Feed,
  ): Promise<void> {
    this.#collection?.abort();
    const collection = new AbortController();
    this.#collection = collection;
    try {
      const outcome = await this.deps.checkout.payOnReader(
        draft,
        { kind: "staff", staffId: staff.id },
        { progress: (step) => feed({ type: "reader-progress", step }), cancel: collection.signal, saveCard },
      );
      feed(outcomeEvent(outcome));
    } finally {
      if (this.#collection === collection) this.#collection = null;
    }
  }

  async #run(effect: StaffEffect, feed: Feed): Promise<void> {
    const { checkout, logger } = this.deps;
    switch (effect.type) {
      case "verify-pin":
        feed({ type: "pin-checked", staff: await checkout.staffForPin(effect.pin), at: this.deps.now() });
        return;
      case "leave-staff":
        this.deps.leave();
        return;
      case "find-invoice": {
        const found = checkout.findInvoice(effect.number, null);
        if (!found) {
          feed({
            type: "invoice-missing",
            error: {
              code: ErrorCodes.STAFF_INVOICE_NOT_FOUND,
              message: `There is no invoice ${effect.number} on this kiosk: check the number, or wait for sync.`,
            },
          });
          return;
        }
        feed({ type: "invoice-found", invoice: invoiceView(found) });
        return;
      }
      case "refresh-invoice": {
        // Not found, or not readable now: the form keeps the invoice it shows (never an error there:
        // the form may be saving by the time this answers).
        let found: ReturnType<Checkout["findInvoice"]> = null;
        try {
          found = checkout.findInvoice(effect.number, null);
        } catch (error) {
          logger.error(`invoice refresh failed: ${(error as Error).message}`);
        }
        if (found) feed({ type: "invoice-refreshed", invoice: invoiceView(found) });
        return;
      }
      case "save-record":
        feed(outcomeEvent(await checkout.record(effect.draft, actor(effect.staff))));
        return;
      case "start-keyed-entry":
        await this.#startKeyed(effect.draft, feed);
        return;
      case "cancel-keyed-entry":
        this.#stopPolling(effect.sessionId);
        await checkout.cancelKeyedEntry(effect.sessionId, effect.collection);
        return;
      case "collect-on-reader":
        await this.#collectOnReader(effect.draft, effect.staff, effect.saveCard, feed);
        return;
      case "charge-saved-card":
        feed(outcomeEvent(await checkout.payWithSavedCard(effect.draft, actor(effect.staff), effect.token)));
        return;
      case "cancel-reader":
        this.#collection?.abort();
        return;
      case "start-pay-link":
        await this.#payOnPhone(effect, feed);
        return;
      case "close-pay-link":
        this.#payLink?.abort();
        return;
      case "charge-keyed":
        feed(
          outcomeEvent(
            await checkout.payKeyed(effect.draft, actor(effect.staff), effect.sessionId, {
              saveCard: effect.saveCard,
            }),
          ),
        );
        return;
      case "open-drawer": {
        const drawer = this.deps.cashDrawer;
        if (!drawer)
          throw new KioskError(ErrorCodes.DRAWER_NOT_CONFIGURED, "No cash drawer is set up on this kiosk.");
        try {
          await drawer.open();
          feed({ type: "drawer-opened" });
        } catch (error) {
          feed({ type: "drawer-failed", error: errorView(error, logger) });
        }
        return;
      }
      case "load-shift-records":
        feed({ type: "shift-records", records: checkout.shiftRecords().map(recordLine).reverse() });
        return;
      case "find-payments":
        feed({ type: "payments-found", records: checkout.findPayments(effect.text).map(foundPaymentLine) });
        return;
      case "load-attention":
        feed({ type: "attention-items", items: checkout.needsAttention() });
        return;
      case "follow-up":
        try {
          const record = await checkout.followUp(
            effect.recordId,
            effect.action,
            effect.text,
            actor(effect.staff),
          );
          if (effect.action === "charge-another-card" && record) {
            const found = checkout.findInvoice(record.invoiceNumber, null);
            if (found)
              feed({
                type: "another-card-ready",
                invoice: invoiceView(found),
                amountMinor: record.amount.minor,
              });
          }
        } finally {
          // Whatever the answer, the list shows where things stand now.
          feed({ type: "attention-items", items: checkout.needsAttention() });
        }
        return;
      case "void-record":
        await checkout.void(effect.recordId, actor(effect.staff));
        feed({ type: "record-voided", recordId: effect.recordId });
        return;
      case "load-report":
        feed({ type: "report-ready", report: reportView(checkout.shiftReport(effect.staff.id)) });
        return;
      case "close-day":
        feed({ type: "report-ready", report: reportView(checkout.closeDay(effect.staff.id)) });
        return;
      case "record-drawer-count":
        feed({
          type: "drawer-counted",
          count: drawerCountView(checkout.countDrawer(effect.countedMinor, effect.staff.id)),
        });
        return;
      case "lock-kiosk":
        checkout.lock("Out of service", effect.staff.id);
        feed({ type: "lock-changed", locked: true });
        return;
      case "unlock-kiosk":
        checkout.unlock(effect.staff.id);
        feed({ type: "lock-changed", locked: false });
        return;
      case "print-receipt":
        await this.#print(effect.recordId, effect.reprint, feed);
        return;
      case "email-receipt":
        await this.#email(effect.recordId, effect.address, feed);
        return;
    }
  }

  async #print(recordId: string, reprint: boolean, feed: Feed): Promise<void> {
    const { receipts, logger } = this.deps;
    if (!receipts) {
      feed({
        type: "receipt-not-printed",
        recordId,
        error: {
          code: ErrorCodes.PRINTER_NOT_CONFIGURED,
          message: "No receipt printer is set up on this kiosk.",
        },
      });
      return;
    }
    const outcome = await receipts.print({ recordId, reprint, locale: this.#locale() });
    feed(
      outcome.printed
        ? { type: "receipt-printed", recordId }
        : { type: "receipt-not-printed", recordId, error: errorView(outcome.error, logger) },
    );
  }

  async #email(recordId: string, address: string, feed: Feed): Promise<void> {
    const { receipts, logger } = this.deps;
    try {
      if (!receipts)
        throw new KioskError(ErrorCodes.MAIL_NOT_CONFIGURED, "Receipts cannot be emailed from this kiosk.");
      await receipts.email({ recordId, address, locale: this.#locale() });
      feed({ type: "receipt-emailed", recordId, error: null });
    } catch (error) {
      feed({ type: "receipt-emailed", recordId, error: errorView(error, logger) });
    }
  }

  #locale(): string {
    return this.deps.locale?.() ?? "en-US";
  }

  async #startKeyed(draft: PaymentDraftInput, feed: Feed): Promise<void> {
    const amount = { minor: draft.amountMinor, currency: draft.currency };
    const entry = await this.deps.checkout.startKeyedEntry(amount);
    const { hostedForms } = this.deps;
    feed({
      type: "keyed-entry-opened",
      url:
        entry.formFields && hostedForms
          ? hostedForms.open(entry.sessionId, entry.url, entry.formFields)
          : entry.url,
      sessionId: entry.sessionId,
      collection: entry.collection,
    });
    const timer = setInterval(() => {
      this.deps.checkout
        .keyedEntryStatus(entry.sessionId, entry.collection)
        .then((status) => {
          if (status.state === "open" || !this.#keyed.has(entry.sessionId)) return;
          this.#stopPolling(entry.sessionId);
          feed(
            status.state === "completed"
              ? { type: "keyed-entry-completed", sessionId: entry.sessionId, collection: entry.collection }
              : { type: "keyed-entry-closed", state: status.state },
          );
        })
        .catch((error: unknown) => this.deps.logger.warn(`keyed entry status: ${(error as Error).message}`));
    }, this.deps.keyedPollMs ?? 1000);
    timer.unref();
    this.#keyed.set(entry.sessionId, timer);
  }

  #stopPolling(sessionId: string): void {
    const timer = this.#keyed.get(sessionId);
    if (timer) clearInterval(timer);
    this.#keyed.delete(sessionId);
    this.deps.hostedForms?.close(sessionId);
  }
}

/** What an outcome means for the screen; an unknown card outcome is never shown as paid. */
export function outcomeEvent(outcome: ChargeOutcome): StaffEvent {
  switch (outcome.kind) {
    case "approved":
    case "stored-offline":
      return { type: "record-saved", saved: savedView(outcome.record) };
    case "declined":
      return { type: "record-refused", error: { code: outcome.reason.code, message: outcome.reason.detail } };
    case "unknown":
      return {
        type: "record-refused",
        error: {
          code: ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
          message:
            "The processor has not confirmed this card payment yet. Do not charge again: the kiosk is checking.",
        },
      };
  }
}
