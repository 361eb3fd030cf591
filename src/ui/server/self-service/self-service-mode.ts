import type { Checkout } from "../../../checkout/checkout.js";
import type { KioskError } from "../../../core/kiosk-error.js";
import type { Logger } from "../../../core/logger.js";
import type { CardRead } from "../../../drivers/card-reader/card-read.js";
import {
  ATTRACT,
  type SelfServiceEffect,
  type SelfServiceEvent,
  type SelfServiceSettings,
  type SelfServiceState,
  selfServiceIdleExempt,
  selfServiceReducer,
  selfServiceScreen,
  waitsForSwipe,
} from "../../flows/self-service/index.js";
import type { Screen } from "../../protocol.js";
import type { Mode, ModeHost } from "../mode.js";
import { chargeCard } from "./charge-card.js";
import { invoiceView } from "./invoice-view.js";
import type { ReceiptSender } from "./print-receipt.js";

export interface SelfServiceDeps {
  readonly settings: SelfServiceSettings;
  readonly checkout: Checkout;
  readonly printReceipt: ReceiptSender;
  readonly logger: Logger;
}

/**
 * Runs the self-service flow for the session: feeds it events, runs its effects (invoice lookup,
 * card charge, receipt, timer) and feeds their results back. Results from before a reset are
 * dropped (the generation moved on), except that a charge is never interrupted: it is busy.
 */
export class SelfServiceMode implements Mode {
  readonly name = "self-service" as const;
  readonly #deps: SelfServiceDeps;
  readonly #reduce: ReturnType<typeof selfServiceReducer>;
  #host: ModeHost | null = null;
  #state: SelfServiceState = ATTRACT;
  #generation = 0;
  #timer: NodeJS.Timeout | null = null;
  #card: CardRead | null = null;

  constructor(deps: SelfServiceDeps) {
    this.#deps = deps;
    this.#reduce = selfServiceReducer(deps.settings);
  }

  attach(host: ModeHost): void {
    this.#host = host;
  }

  get state(): SelfServiceState {
    return this.#state;
  }

  screen(): Screen {
    return selfServiceScreen(this.#deps.settings, this.#state);
  }

  touch(action: string, value: string | undefined): boolean {
    return this.#dispatch({ type: "touch", action, value });
  }

  reset(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#card?.secrets.wipe();
    this.#card = null;
    this.#generation += 1;
    this.#state = ATTRACT;
  }

  idleExempt(): boolean {
    return selfServiceIdleExempt(this.#state);
  }

  busy(): boolean {
    return this.#state.step === "swipe" && this.#state.phase === "processing";
  }

  waitsForSwipe(): boolean {
    return waitsForSwipe(this.#state);
  }

  cardRead(read: CardRead): void {
    this.#card = read;
    this.#dispatch({ type: "card-read" });
    // The flow did not start a charge with it: nothing keeps the clear data.
    this.#card?.secrets.wipe();
    this.#card = null;
  }

  cardUnreadable(error: KioskError): void {
    this.#dispatch({ type: "card-unreadable", problem: { code: error.code, message: error.detail } });
  }

  invoiceScanned(invoiceNumber: string): void {
    this.#dispatch({ type: "scanned", invoiceNumber });
  }

  scanRejected(_error: KioskError): void {
    this.#dispatch({ type: "scan-rejected" });
  }

  showsWhileLocked(): boolean {
    return false;
  }

  /** Feeds one event to the flow; false when the state did not change. */
  #dispatch(event: SelfServiceEvent): boolean {
    const before = this.#state;
    const { state, effects } = this.#reduce(before, event);
    if (state === before && effects.length === 0) return false;
    this.#state = state;
    for (const effect of effects) this.#run(effect);
    this.#host?.changed();
    return true;
  }

  #later(generation: number, event: SelfServiceEvent): void {
    if (generation === this.#generation) this.#dispatch(event);
  }

  #run(effect: SelfServiceEffect): void {
    const generation = this.#generation;
    const { checkout, logger } = this.#deps;
    switch (effect.kind) {
      case "find-invoice": {
        let invoice = null;
        try {
          const found = checkout.findInvoice(effect.invoiceNumber, effect.lastName);
          invoice = found && invoiceView(found);
        } catch (error) {
          logger.error(`invoice lookup failed: ${(error as Error).message}`);
        }
        // Reported on the next turn, so the flow has taken its "searching" state first.
        setImmediate(() => this.#later(generation, { type: "lookup-finished", invoice }));
        return;
      }
      case "charge-card": {
        const card = this.#card;
        this.#card = null;
        if (!card) {
          setImmediate(() =>
            this.#later(generation, {
              type: "charge-finished",
              result: {
                kind: "declined",
                problem: { code: "CARD_DATA_WIPED", message: "Swipe the card again." },
              },
            }),
          );
          return;
        }
        void chargeCard(checkout, card, effect)
          .catch((error: unknown) => {
            logger.error(`card charge failed: ${(error as Error).message}`);
            return {
              kind: "unknown",
              problem: { code: "INTERNAL", message: "The payment could not be confirmed. Please see staff." },
            } as const;
          })
          // Never dropped by generation: the charge made the flow busy, so nothing reset it.
          .then((result) => this.#dispatch({ type: "charge-finished", result }));
        return;
      }
      case "print-receipt":
        void this.#deps
          .printReceipt(effect)
          .catch(() => false)
          .then((printed) => this.#later(generation, { type: "receipt-finished", printed }));
        return;
      case "start-timer":
        if (this.#timer) clearTimeout(this.#timer);
        this.#timer = setTimeout(() => {
          this.#timer = null;
          this.#later(generation, { type: "timer-expired", timer: effect.timer });
        }, effect.ms);
        this.#timer.unref();
        return;
    }
  }
}
