import { setTimeout as sleep } from "node:timers/promises";
import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { OutputPin } from "./pins.js";

/** Opens the cash drawer: through a GPIO relay here, or through the printer's drawer port (ESC p). */
export interface CashDrawer {
  open(): Promise<void>;
}

/**
 * A drawer whose solenoid is driven by a relay: one pulse of `pulseMs` opens it. A second pulse
 * while one runs is refused (a held solenoid overheats, and two taps must not look like two opens).
 */
export class RelayCashDrawer implements CashDrawer {
  #pulsing = false;

  constructor(
    private readonly pin: OutputPin,
    private readonly pulseMs: number,
  ) {}

  async open(): Promise<void> {
    if (this.#pulsing) {
      throw new KioskError(
        ErrorCodes.DRAWER_PULSE_BUSY,
        "The cash drawer is already being opened: wait a moment.",
      );
    }
    this.#pulsing = true;
    try {
      await this.pin.write(1);
      await sleep(this.pulseMs);
    } catch (error) {
      if (isKioskError(error)) throw error;
      throw new KioskError(
        ErrorCodes.GPIO_UNAVAILABLE,
        `The cash drawer relay did not switch: ${(error as Error).message}`,
      );
    } finally {
      // Always drop the relay, even when energising it failed half-way.
      await this.pin.write(0).catch(() => {});
      this.#pulsing = false;
    }
  }
}
