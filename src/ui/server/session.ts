import type { LockState } from "../../checkout/checkout-types.js";
import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { CardRead } from "../../drivers/card-reader/card-read.js";
import type { IdleWarning, Screen, ScreenMessage, StatusBar, TouchMessage } from "../protocol.js";
import { idlePhase } from "./idle.js";
import type { Mode, ModeName } from "./mode.js";

export interface SessionOptions {
  readonly modes: { readonly "self-service": Mode; readonly staff?: Mode };
  readonly idleTimeoutSeconds: number;
  readonly locales: readonly string[];
  /** The studio's IANA time zone, for the times the screen shows. */
  readonly timeZone: string;
  readonly devPanel: boolean;
  /** The lock now (KioskLock, or a fixed "locked" when the store cannot be opened). */
  readonly lock: () => LockState;
  readonly status: () => StatusBar;
  readonly clock: Clock;
  readonly logger: Logger;
}

type Listener = (message: ScreenMessage) => void;

/**
 * The one session at the counter. It keeps the active mode and dispatches touches, card reads and
 * scans to it; shows "Out of service" while the kiosk is locked; runs the idle countdown; and
 * pushes the whole screen to every connected browser whenever anything on it changes.
 */
export class UiSession {
  readonly #options: SessionOptions;
  readonly #listeners = new Set<Listener>();
  #mode: Mode;
  #locale: string;
  #seq = 0;
  #lastActivityMs: number;
  #overlay: IdleWarning | null = null;
  #last: ScreenMessage | null = null;

  constructor(options: SessionOptions) {
    this.#options = options;
    this.#mode = options.modes["self-service"];
    this.#locale = options.locales[0] ?? "en-US";
    this.#lastActivityMs = options.clock.now().getTime();
    const host = {
      changed: () => this.changed(),
      updated: () => this.#updated(),
      switchTo: (mode: ModeName) => this.switchTo(mode),
      locale: () => this.#locale,
    };
    options.modes["self-service"].attach(host);
    options.modes.staff?.attach(host);
  }

  get modeName(): ModeName {
    return this.#mode.name;
  }

  /** The message every browser shows now; a new browser (or a reload) gets exactly this. */
  current(): ScreenMessage {
    this.#last ??= this.#message();
    return this.#last;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A touch from the browser. Throws a coded error when it does not apply to the screen shown. */
  touch(message: TouchMessage): void {
    this.#activity();
    const { action, value } = message;
    if (action === "stay") {
      this.refresh();
      return;
    }
    if (action === "locale") {
      if (!value || !this.#options.locales.includes(value)) throw unavailable(action);
      this.#locale = value;
      this.refresh();
      return;
    }
    const screen = this.#screen();
    if (action === "staff" && (screen.name === "self.attract" || screen.name === "common.out-of-service")) {
      const staff = this.#options.modes.staff;
      if (!staff) throw unavailable(action);
      this.switchTo("staff");
      return;
    }
    if (screen.name === "common.out-of-service") throw unavailable(action);
    if (!this.#mode.touch(action, value)) throw unavailable(action);
  }

  /** A card from the reader: given to the mode when its screen waits for one, wiped otherwise. */
  cardRead(read: CardRead): void {
    if (!this.#locked() && this.#mode.waitsForSwipe()) {
      this.#activity();
      this.#mode.cardRead(read);
      return;
    }
    read.secrets.wipe();
    this.#options.logger.info("card swiped while no screen waits for one: ignored");
  }

  cardUnreadable(error: KioskError): void {
    if (this.#locked() || !this.#mode.waitsForSwipe()) return;
    this.#activity();
    this.#mode.cardUnreadable(error);
  }

  invoiceScanned(invoiceNumber: string): void {
    if (this.#locked()) return;
    this.#activity();
    this.#mode.invoiceScanned(invoiceNumber);
  }

  scanRejected(error: KioskError): void {
    if (this.#locked()) return;
    this.#activity();
    this.#mode.scanRejected(error);
  }

  /** Central's accounts changed these invoices: the mode shown looks again at the one it shows. */
  invoicesChanged(invoiceIds: readonly string[]): void {
    this.#mode.invoicesChanged(invoiceIds);
  }

  switchTo(name: ModeName): void {
    const next = this.#options.modes[name];
    if (!next || next === this.#mode) return;
    this.#mode.reset();
    this.#mode = next;
    this.#mode.reset();
    this.#activity();
    this.refresh();
  }

  /** The lock changed: nothing personal stays behind the "Out of service" screen. */
  lockChanged(): void {
    if (this.#locked() && !this.#mode.busy() && !this.#mode.showsWhileLocked()) {
      this.#mode.reset();
      if (this.#mode.name !== "self-service") this.switchTo("self-service");
    }
    this.refresh();
  }

  /** Runs the idle countdown; the server calls it about every half second. */
  tick(): void {
    const idle = this.#mode.idleExempt() || this.#screen().name === "common.out-of-service";
    if (idle) {
      this.#lastActivityMs = this.#options.clock.now().getTime();
      if (this.#overlay) this.#setOverlay(null);
      return;
    }
    const phase = idlePhase(
      this.#options.idleTimeoutSeconds,
      this.#lastActivityMs,
      this.#options.clock.now().getTime(),
    );
    if (phase.kind === "expired") {
      this.#options.logger.info(`idle for ${this.#options.idleTimeoutSeconds} s: screen cleared`);
      this.#mode.reset();
      this.#locale = this.#options.locales[0] ?? this.#locale;
      this.#overlay = null;
      if (this.#mode.name !== "self-service") this.switchTo("self-service");
      else this.refresh();
      return;
    }
    this.#setOverlay(
      phase.kind === "warning" ? { kind: "idle-warning", secondsLeft: phase.secondsLeft } : null,
    );
  }

  /** Rebuilds the message and pushes it when anything on the screen (or the status bar) changed. */
  refresh(): void {
    const previous = this.#last;
    const next = this.#message();
    if (previous && sameView(previous, next)) return;
    this.#seq += 1;
    this.#last = { ...next, seq: this.#seq };
    for (const listener of this.#listeners) listener(this.#last);
  }

  /** Called by the mode when its state changed. */
  changed(): void {
    this.#activity();
    // A charge that finished under a lock set meanwhile: behind "Out of service" nothing stays.
    if (this.#locked() && !this.#mode.busy() && !this.#mode.showsWhileLocked()) this.#mode.reset();
    this.refresh();
  }

  /** The mode changed by itself (not a touch): pushed as `changed`, but the idle countdown goes on. */
  #updated(): void {
    if (this.#locked() && !this.#mode.busy() && !this.#mode.showsWhileLocked()) this.#mode.reset();
    this.refresh();
  }

  #setOverlay(overlay: IdleWarning | null): void {
    if (overlay?.secondsLeft === this.#overlay?.secondsLeft) return;
    this.#overlay = overlay;
    this.refresh();
  }

  #activity(): void {
    this.#lastActivityMs = this.#options.clock.now().getTime();
    this.#overlay = null;
  }

  #locked(): boolean {
    return this.#options.lock().locked;
  }

  #screen(): Screen {
    const lock = this.#options.lock();
    if (lock.locked && !this.#mode.showsWhileLocked() && !this.#mode.busy()) {
      return {
        name: "common.out-of-service",
        reason: lock.reason,
        staffSignIn: this.#options.modes.staff !== undefined,
      };
    }
    return this.#mode.screen();
  }

  #message(): ScreenMessage {
    return {
      type: "screen",
      seq: this.#seq,
      screen: this.#screen(),
      status: this.#options.status(),
      locale: this.#locale,
      locales: this.#options.locales,
      timeZone: this.#options.timeZone,
      overlay: this.#overlay,
      devPanel: this.#options.devPanel,
    };
  }
}

function sameView(a: ScreenMessage, b: ScreenMessage): boolean {
  return JSON.stringify({ ...a, seq: 0 }) === JSON.stringify({ ...b, seq: 0 });
}

function unavailable(action: string): KioskError {
  return new KioskError(
    ErrorCodes.UI_ACTION_UNAVAILABLE,
    `"${action}" does not apply to the screen shown; nothing changed.`,
    { action },
  );
}
