import { inspect } from "node:util";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { CardNumber } from "../../payments/card/card-number.js";
import type { MaskedPan } from "../../payments/card/masked-pan.js";
import type { TrackNumber } from "./track-tokens.js";

/** What an encrypting reader (MagTek MagneSafe) produced for the processor: ciphertext and key ids. */
export interface EncryptedSwipe {
  readonly format: "magtek-magnesafe";
  /** DUKPT key serial number: which key encrypted the tracks. */
  readonly ksn: string;
  readonly encryptionStatus: string;
  /** Encrypted tracks as hexadecimal, null when the reader sent none. */
  readonly track1: string | null;
  readonly track2: string | null;
  readonly track3: string | null;
  readonly magnePrint: string | null;
  readonly magnePrintStatus: string | null;
  readonly deviceSerial: string | null;
}

/** The clear tracks and card number, handed to a processor once. */
export interface ClearSwipe {
  readonly cardNumber: CardNumber;
  readonly track1: string | null;
  readonly track2: string | null;
}

/**
 * A swipe's clear card data, held only in memory until used. Every way of turning it into text
 * gives a placeholder; `use()` hands the data to one consumer and wipes it afterwards, and the
 * reader wipes any it still holds after a while. (JavaScript strings cannot be overwritten; wiping
 * drops the last references so nothing can reach the data any more.)
 */
export class SwipeSecrets {
  #clear: ClearSwipe | undefined;
  #expiry: NodeJS.Timeout | undefined;

  constructor(clear: ClearSwipe | undefined) {
    this.#clear = clear;
  }

  /** Gives the clear data to `consume` and wipes it when `consume` returns or its promise settles. */
  use<T>(consume: (clear: ClearSwipe) => T): T {
    const clear = this.#clear;
    if (clear === undefined) {
      throw new KioskError(
        ErrorCodes.CARD_DATA_WIPED,
        "This swipe's card data was already used or wiped: swipe again.",
      );
    }
    let result: T;
    try {
      result = consume(clear);
    } catch (error) {
      this.wipe();
      throw error;
    }
    if (result instanceof Promise) {
      return result.finally(() => this.wipe()) as T;
    }
    this.wipe();
    return result;
  }

  /** Wipes the data after `ms` unless it is used or wiped before; the timer never keeps the process up. */
  expireAfter(ms: number): void {
    clearTimeout(this.#expiry);
    if (this.#clear === undefined) return;
    this.#expiry = setTimeout(() => this.wipe(), ms);
    this.#expiry.unref();
  }

  wipe(): void {
    clearTimeout(this.#expiry);
    this.#expiry = undefined;
    this.#clear?.cardNumber.wipe();
    this.#clear = undefined;
  }

  get available(): boolean {
    return this.#clear !== undefined;
  }

  toJSON(): string {
    return "[card data in memory only]";
  }

  toString(): string {
    return "[card data in memory only]";
  }

  [inspect.custom](): string {
    return "SwipeSecrets([card data in memory only])";
  }
}

/** One card swiped through the reader, as the screen, the rules and the processor see it. */
export interface CardRead {
  readonly maskedPan: MaskedPan;
  readonly brand: string | null;
  /** "JOHN Q DOE" from "DOE/JOHN Q.MR"; null when the card carries no usable name. */
  readonly cardholderName: string | null;
  /** "2027-12" (the card is good through the end of that month), or null when the card has none. */
  readonly expiry: string | null;
  readonly expired: boolean;
  readonly serviceCode: string | null;
  readonly entryMode: "swiped";
  /** Which tracks the reader decoded. */
  readonly tracks: readonly TrackNumber[];
  readonly encrypted: EncryptedSwipe | null;
  readonly secrets: SwipeSecrets;
}

/** The fields safe to show or print: no clear number, no tracks, no ciphertext. */
export interface MaskedCardFields {
  maskedPan: MaskedPan;
  brand: string | null;
  cardholderName: string | null;
  expiry: string | null;
  expired: boolean;
  serviceCode: string | null;
  entryMode: "swiped";
  tracks: TrackNumber[];
  encrypted: { format: "magtek-magnesafe"; ksn: string; deviceSerial: string | null } | null;
}

export function maskedCardFields(read: CardRead): MaskedCardFields {
  return {
    maskedPan: read.maskedPan,
    brand: read.brand,
    cardholderName: read.cardholderName,
    expiry: read.expiry,
    expired: read.expired,
    serviceCode: read.serviceCode,
    entryMode: read.entryMode,
    tracks: [...read.tracks],
    encrypted: read.encrypted
      ? { format: read.encrypted.format, ksn: read.encrypted.ksn, deviceSerial: read.encrypted.deviceSerial }
      : null,
  };
}

/** "2712" → "2027-12"; null for a month that does not exist. */
export function expiryMonth(yymm: string | null): string | null {
  if (yymm === null || !/^\d{4}$/.test(yymm)) return null;
  const month = Number(yymm.slice(2));
  if (month < 1 || month > 12) return null;
  return `20${yymm.slice(0, 2)}-${yymm.slice(2)}`;
}

/** A card is good through the last day of its expiry month (compared in UTC). */
export function hasExpired(expiry: string | null, now: Date): boolean {
  if (expiry === null) return false;
  const current = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
  return expiry < current;
}
