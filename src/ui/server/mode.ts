import type { KioskError } from "../../core/kiosk-error.js";
import type { CardRead } from "../../drivers/card-reader/card-read.js";
import type { Screen } from "../protocol.js";

export type ModeName = "self-service" | "staff";

/** What a mode may ask of the session that runs it. */
export interface ModeHost {
  /** The mode's screen changed: push it to every browser. */
  changed(): void;
  /**
   * The mode's screen changed with nobody touching it (central's balances): push it, without
   * counting as activity at the counter (the idle countdown goes on).
   */
  updated(): void;
  /** Hand the counter to another mode (staff sign-in, sign-out back to self-service). */
  switchTo(mode: ModeName): void;
  /** The screen's language now (receipts are printed and emailed in it). */
  locale(): string;
}

/**
 * One mode of the counter (self-service or staff): its flow's state, the effects it runs, and the
 * screen it shows. The session owns exactly one active mode at a time and dispatches to it.
 */
export interface Mode {
  readonly name: ModeName;
  /** The session introduces itself once, before anything else is called. */
  attach(host: ModeHost): void;
  screen(): Screen;
  /** A touch from the browser; false when it changed nothing (the browser is told so). */
  touch(action: string, value: string | undefined): boolean;
  /** Back to the mode's first screen with nothing personal kept (idle timeout, lock, leaving). */
  reset(): void;
  /** True while the mode must not be interrupted (a charge under way) or waits for nobody (attract). */
  idleExempt(): boolean;
  /** True while a charge is under way: not even the lock interrupts it. */
  busy(): boolean;
  /** Whether the mode's current screen takes a card swipe now. */
  waitsForSwipe(): boolean;
  /** A card read; only called while `waitsForSwipe()`. The mode owns (and must wipe) its secrets. */
  cardRead(read: CardRead): void;
  cardUnreadable(error: KioskError): void;
  invoiceScanned(invoiceNumber: string): void;
  scanRejected(error: KioskError): void;
  /**
   * Central's accounts changed what was paid on these invoices: the mode looks again at the one it
   * shows, unless a charge is under way or done.
   */
  invoicesChanged(invoiceIds: readonly string[]): void;
  /** Whether this screen stays up while the kiosk is locked (staff sign-in: a manager can unlock). */
  showsWhileLocked(): boolean;
}
