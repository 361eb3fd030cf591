import type { Checkout } from "../../../checkout/checkout.js";
import type { KioskError } from "../../../core/kiosk-error.js";
import type { Logger } from "../../../core/logger.js";
import type { CardRead } from "../../../drivers/card-reader/card-read.js";
import {
  ATTRACT,
  collecting,
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
import type { BalanceAge } from "./invoice-view.js";
import type { ReceiptSender } from "./print-receipt.js";
import { SelfServiceEffects } from "./self-service-effects.js";

export interface SelfServiceDeps {
  readonly settings: SelfServiceSettings;
  readonly checkout: Checkout;
  readonly printReceipt: ReceiptSender;
  /** How current the balances are: offline, the summary says "balance as of". */
  readonly balanceAge?: () => BalanceAge;
  /** Has central email a record's receipt; absent: not offered. */
  readonly emailReceipt?: (request: { recordId: string; address: string; locale: string }) => Promise<void>;
  readonly logger: Logger;
}

/**
 * Runs the self-service flow for the session: feeds it events, has its effects run (invoice lookup,
 * card charge, receipt, timer) and feeds their results back. Results from before a reset are
 * dropped (the generation moved on), except that a charge is never interrupted: it is busy.
 */
export class SelfServiceMode implements Mode {
  readonly name = "self-service" as const;
  readonly #deps: SelfServiceDeps;
  readonly #reduce: ReturnType<typeof selfServiceReducer>;
  readonly #effects: SelfServiceEffects;
  #host: ModeHost | null = null;
  #state: SelfServiceState = ATTRACT;
  #generation = 0;
  #card: CardRead | null = null;

  constructor(deps: SelfServiceDeps) {
    this.#deps = deps;
    this.#reduce = selfServiceReducer(deps.settings);
    this.#effects = new SelfServiceEffects({
      checkout: deps.checkout,
      printReceipt: deps.printReceipt,
      takeCard: () => {
        const card = this.#card;
        this.#card = null;
        return card;
      },
      ...(deps.balanceAge ? { balanceAge: deps.balanceAge } : {}),
      logger: deps.logger,
      locale: () => this.#host?.locale() ?? "en-US",
      ...(deps.emailReceipt ? { emailReceipt: deps.emailReceipt } : {}),
    });
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
    this.#effects.stop();
    this.#card?.secrets.wipe();
    this.#card = null;
    this.#generation += 1;
    this.#state = ATTRACT;
  }

  idleExempt(): boolean {
    return selfServiceIdleExempt(this.#state);
  }

  busy(): boolean {
    return (this.#state.step === "swipe" && this.#state.phase === "processing") || collecting(this.#state);
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

  invoicesChanged(invoiceIds: readonly string[]): void {
    this.#dispatch({ type: "invoices-changed", invoiceIds });
  }

  /** Feeds one event to the flow and has its effects run; false when the state did not change. */
  #dispatch(event: SelfServiceEvent): boolean {
    const before = this.#state;
    const { state, effects } = this.#reduce(before, event);
    if (state === before && effects.length === 0) return false;
    this.#state = state;
    const generation = this.#generation;
    for (const effect of effects) {
      // A charge's result is never dropped: the charge keeps the flow busy, so nothing resets it.
      void this.#effects.run(effect, (result) => {
        if (generation === this.#generation || this.busy()) this.#dispatch(result);
      });
    }
    // Central's balances arriving are no one at the counter: the idle countdown goes on.
    if (event.type === "invoices-changed" || event.type === "invoice-refreshed") this.#host?.updated();
    else this.#host?.changed();
    return true;
  }
}
