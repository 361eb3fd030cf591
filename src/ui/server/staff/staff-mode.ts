import type { Checkout } from "../../../checkout/checkout.js";
import type { LockState } from "../../../checkout/checkout-types.js";
import type { Clock } from "../../../core/clock.js";
import type { KioskError } from "../../../core/kiosk-error.js";
import type { Logger } from "../../../core/logger.js";
import type { CardRead } from "../../../drivers/card-reader/card-read.js";
import type { CashDrawer } from "../../../drivers/gpio/cash-drawer.js";
import {
  NO_FAILURES,
  type SignInThrottle,
  type StaffEvent,
  type StaffSetup,
  type StaffState,
  staffFlow,
  staffScreenOf,
  startStaff,
} from "../../flows/staff/index.js";
import type { Screen } from "../../protocol.js";
import type { HostedFormRelay } from "../hosted-form-relay.js";
import type { Mode, ModeHost } from "../mode.js";
import type { ReceiptDesk } from "../receipts/receipt-desk.js";
import { StaffEffects } from "./staff-effects.js";

export interface StaffModeDeps {
  readonly setup: StaffSetup;
  readonly checkout: Checkout;
  readonly cashDrawer: CashDrawer | null;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Opens hosted forms that take their token by POST through the screen's server. */
  readonly hostedForms?: HostedFormRelay;
  /** Prints and emails the receipts of the records staff take. */
  readonly receipts?: ReceiptDesk;
}

/** Screens that take or change money: not shown while the kiosk is out of service. */
const PAYMENT_STEPS = new Set<StaffState["step"]>([
  "invoice-lookup",
  "payment-form",
  "card-swipe",
  "keyed-entry",
]);

/**
 * Runs the staff flow for the session: touches and effect results in, the screen out. Wrong PINs
 * are remembered across visits (leaving and coming back does not lift a lockout). Results that
 * arrive after a reset are dropped — except a card charge, which keeps the mode busy until it ends.
 */
export class StaffMode implements Mode {
  readonly name = "staff" as const;
  readonly #deps: StaffModeDeps;
  readonly #effects: StaffEffects;
  readonly #stopLockEvents: () => void;
  #host: ModeHost | null = null;
  #state: StaffState;
  #throttle: SignInThrottle = NO_FAILURES;
  #generation = 0;

  constructor(deps: StaffModeDeps) {
    this.#deps = deps;
    this.#effects = new StaffEffects({
      checkout: deps.checkout,
      cashDrawer: deps.cashDrawer,
      logger: deps.logger,
      now: () => deps.clock.now().getTime(),
      leave: () => this.#host?.switchTo("self-service"),
      ...(deps.hostedForms ? { hostedForms: deps.hostedForms } : {}),
      ...(deps.receipts ? { receipts: deps.receipts } : {}),
      locale: () => this.#host?.locale() ?? "en-US",
    });
    this.#state = this.#fresh();
    this.#stopLockEvents = deps.checkout.onLockChanged(this.#onLock);
  }

  get state(): StaffState {
    return this.#state;
  }

  attach(host: ModeHost): void {
    this.#host = host;
  }

  screen(): Screen {
    return staffScreenOf(this.#state);
  }

  touch(action: string, value: string | undefined): boolean {
    return this.#dispatch({ type: "touch", action, value, at: this.#deps.clock.now().getTime() });
  }

  reset(): void {
    this.#generation += 1;
    this.#effects.stop();
    this.#state = this.#fresh();
  }

  idleExempt(): boolean {
    return this.busy();
  }

  busy(): boolean {
    const state = this.#state;
    switch (state.step) {
      case "payment-form":
        return state.saving;
      case "card-swipe":
        return state.charging || state.reader !== null;
      case "keyed-entry":
        return state.charging;
      case "confirm":
        return state.busy;
      default:
        return false;
    }
  }

  waitsForSwipe(): boolean {
    return this.#state.step === "card-swipe" && this.#state.via === "swipe" && !this.#state.charging;
  }

  cardRead(read: CardRead): void {
    const state = this.#state;
    if (state.step !== "card-swipe" || state.via !== "swipe" || state.charging) {
      read.secrets.wipe();
      return;
    }
    // Never dropped by generation: the charge makes the mode busy, so nothing resets it meanwhile.
    const feed = (event: StaffEvent): void => void this.#dispatch(event);
    void this.#effects.chargeSwipe(state.draft, state.staff, read, feed, state.form.saveCard);
  }

  cardUnreadable(error: KioskError): void {
    this.#dispatch({ type: "record-refused", error: { code: error.code, message: error.detail } });
  }

  invoiceScanned(invoiceNumber: string): void {
    this.#dispatch({ type: "invoice-scanned", number: invoiceNumber });
  }

  scanRejected(): void {}

  invoicesChanged(invoiceIds: readonly string[]): void {
    this.#dispatch({ type: "invoices-changed", invoiceIds });
  }

  showsWhileLocked(): boolean {
    return !PAYMENT_STEPS.has(this.#state.step);
  }

  /** The kiosk is stopping. */
  stop(): void {
    this.#effects.stop();
    this.#stopLockEvents();
  }

  readonly #onLock = (lock: LockState): void => {
    this.#dispatch({ type: "lock-changed", locked: lock.locked });
  };

  #fresh(): StaffState {
    const { setup, checkout } = this.#deps;
    return startStaff({
      setup,
      today: checkout.today(),
      kioskLocked: checkout.lockState().locked,
      throttle: this.#throttle,
    });
  }

  /** Feeds one event to the flow and runs what it asks; false when nothing changed. */
  #dispatch(event: StaffEvent): boolean {
    const before = this.#state;
    const { state, effects } = staffFlow(before, event);
    if (state === before && effects.length === 0) return false;
    this.#state = state;
    this.#throttle = state.step === "sign-in" ? state.throttle : NO_FAILURES;
    const generation = this.#generation;
    for (const effect of effects) {
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
