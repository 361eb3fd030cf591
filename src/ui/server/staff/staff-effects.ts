import type { CardService } from "../../../checkout/cards/card-service.js";
import type { ChargeOutcome } from "../../../checkout/cards/charge-outcome.js";
import type { Ledger } from "../../../checkout/ledger.js";
import type { ShiftDesk } from "../../../checkout/shift-desk.js";
import type { StaffMember } from "../../../checkout/staff/config.js";
import { staffForPin } from "../../../checkout/staff/staff-roster.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { isKioskError, KioskError } from "../../../core/kiosk-error.js";
import type { Logger } from "../../../core/logger.js";
import type { CashDrawer } from "../../../drivers/gpio/cash-drawer.js";
import type { CardSource } from "../../../payments/card-processor.js";
import type { PaymentDraftInput } from "../../../payments/payment-draft.js";
import type { KioskStore } from "../../../store/kiosk-store.js";
import type { ErrorView, StaffEffect, StaffEvent, StaffMemberView } from "../../flows/staff/index.js";
import { attentionItems } from "./attention.js";
import { drawerCountView, invoiceView, recordLine, reportView, savedView } from "./views.js";

export interface StaffEffectDeps {
  readonly store: KioskStore & { readonly ledger: Ledger };
  readonly desk: ShiftDesk;
  /** Card processing; null when the kiosk runs without it (manual entry still works through the ledger). */
  readonly cards: CardService | null;
  readonly cashDrawer: CashDrawer | null;
  readonly staff: readonly StaffMember[];
  readonly logger: Logger;
  /** The time for events that need it (wrong-PIN lockouts), in epoch ms. */
  readonly now: () => number;
  /** Leaves staff mode (sign out, or "back" from the keypad). */
  readonly leave: () => void;
  /** How often the processor's hosted page is asked whether staff finished keying. */
  readonly keyedPollMs?: number;
}

type Feed = (event: StaffEvent) => void;

/** A coded error for the screen; anything unexpected is logged and shown as INTERNAL. */
export function errorView(error: unknown, logger: Logger): ErrorView {
  if (isKioskError(error)) return { code: error.code, message: error.detail };
  logger.error(`staff action failed: ${(error as Error).message}`);
  return { code: ErrorCodes.INTERNAL, message: "Something went wrong; try again or ask a manager." };
}

const actor = (staff: StaffMemberView) => ({ id: staff.id, role: staff.role });

/**
 * Runs what the staff flow asks for — PIN checks, invoice lookups, records through the ledger and
 * card charger, the drawer pulse, voids, reports, drawer counts, the lock — and feeds each result
 * back as an event. Nothing here throws at the caller: every failure becomes a coded event.
 */
export class StaffEffects {
  readonly #keyed = new Map<string, ReturnType<typeof setInterval>>();

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

  /** A card swiped while the swipe screen waits: charged through the processor, never twice. */
  async chargeSwipe(
    draft: PaymentDraftInput,
    staff: StaffMemberView,
    source: CardSource,
    feed: Feed,
  ): Promise<void> {
    feed({ type: "card-charging" });
    try {
      feed(outcomeEvent(await this.#charger().pay(draft, { kind: "staff", staffId: staff.id }, source)));
    } catch (error) {
      feed({ type: "record-refused", error: errorView(error, this.deps.logger) });
    } finally {
      if (source.kind === "swiped") source.card.wipe();
    }
  }

  /** Stops polling the processor's hosted pages (the kiosk is stopping). */
  stop(): void {
    for (const timer of this.#keyed.values()) clearInterval(timer);
    this.#keyed.clear();
  }

  async #run(effect: StaffEffect, feed: Feed): Promise<void> {
    const { store, desk, logger } = this.deps;
    switch (effect.type) {
      case "verify-pin":
        feed({
          type: "pin-checked",
          staff: await staffForPin(effect.pin, this.deps.staff),
          at: this.deps.now(),
        });
        return;
      case "leave-staff":
        this.deps.leave();
        return;
      case "find-invoice": {
        const invoice = store.invoices.findByNumber(effect.number);
        if (!invoice) {
          feed({
            type: "invoice-missing",
            error: {
              code: ErrorCodes.STAFF_INVOICE_NOT_FOUND,
              message: `There is no invoice ${effect.number} on this kiosk: check the number, or wait for sync.`,
            },
          });
          return;
        }
        feed({ type: "invoice-found", invoice: invoiceView(invoice, store.records.forInvoice(invoice.id)) });
        return;
      }
      case "save-record":
        feed(await this.#save(effect.draft, effect.staff));
        return;
      case "start-keyed-entry":
        await this.#startKeyed(effect.draft, feed);
        return;
      case "cancel-keyed-entry":
        this.#stopPolling(effect.sessionId);
        await this.#charger()
          .keyedEntryStatus(effect.sessionId, effect.collection)
          .catch(() => undefined);
        await this.#cards()
          .processor.cancelHostedEntry(effect.sessionId)
          .catch(() => undefined);
        return;
      case "charge-keyed": {
        const source: CardSource = { kind: "hosted", sessionId: effect.sessionId };
        const outcome = await this.#charger().pay(
          effect.draft,
          { kind: "staff", staffId: effect.staff.id },
          source,
        );
        feed(outcomeEvent(outcome));
        return;
      }
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
      case "load-shift-records": {
        const shift = store.shifts.current();
        feed({
          type: "shift-records",
          records: shift ? store.records.forShift(shift.id).map(recordLine).reverse() : [],
        });
        return;
      }
      case "load-attention":
        feed({ type: "attention-items", items: attentionItems(store) });
        return;
      case "acknowledge-decline":
        store.offlineCards.acknowledge(effect.recordId, new Date(this.deps.now()).toISOString());
        this.deps.logger.info("offline decline followed up", {
          recordId: effect.recordId,
          staffId: effect.staff.id,
        });
        feed({ type: "attention-items", items: attentionItems(store) });
        return;
      case "void-record": {
        const charger = this.deps.cards?.charger;
        if (charger) await charger.void(effect.recordId, actor(effect.staff));
        else store.ledger.void(effect.recordId, actor(effect.staff));
        feed({ type: "record-voided", recordId: effect.recordId });
        return;
      }
      case "load-report":
        feed({ type: "report-ready", report: reportView(desk.report(effect.staff.id)) });
        return;
      case "close-day":
        feed({ type: "report-ready", report: reportView(desk.closeDay(effect.staff.id)) });
        return;
      case "record-drawer-count":
        feed({
          type: "drawer-counted",
          count: drawerCountView(desk.countDrawer(effect.countedMinor, effect.staff.id)),
        });
        return;
      case "lock-kiosk":
        store.lock.lock("Out of service", effect.staff.id);
        feed({ type: "lock-changed", locked: true });
        return;
      case "unlock-kiosk":
        store.lock.unlock(effect.staff.id);
        feed({ type: "lock-changed", locked: false });
        return;
    }
  }

  async #save(draft: PaymentDraftInput, staff: StaffMemberView): Promise<StaffEvent> {
    const { store, cards } = this.deps;
    if (draft.kind === "refund" && cards)
      return outcomeEvent(await cards.charger.refund(draft, actor(staff)));
    const record = store.ledger.record(draft, { kind: "staff", staffId: staff.id });
    return { type: "record-saved", saved: savedView(record) };
  }

  async #startKeyed(draft: PaymentDraftInput, feed: Feed): Promise<void> {
    const amount = { minor: draft.amountMinor, currency: draft.currency };
    const entry = await this.#charger().startKeyedEntry("charge", amount);
    feed({
      type: "keyed-entry-opened",
      url: entry.url,
      sessionId: entry.sessionId,
      collection: entry.collection,
    });
    const timer = setInterval(() => {
      this.#charger()
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
  }

  #cards(): CardService {
    if (!this.deps.cards) {
      throw new KioskError(
        ErrorCodes.PROCESSOR_NOT_INTEGRATED,
        "Card processing is not running on this kiosk.",
      );
    }
    return this.deps.cards;
  }

  #charger() {
    return this.#cards().charger;
  }
}

/** What a card outcome means for the screen; an unknown outcome is never shown as paid. */
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
