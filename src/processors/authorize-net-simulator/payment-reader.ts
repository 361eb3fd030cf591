import { createHash } from "node:crypto";
import { passesLuhn } from "../../payments/card/luhn.js";
import { maskDigits } from "../../payments/card/masked-pan.js";
import type { SimCard } from "./merchant-books.js";
import { accountTypeOf, sandboxCardOf } from "./sandbox-behaviour.js";

/** A card read from a request's `payment`, or the reason code (or message) it is refused with. */
export type ReadCard =
  | { readonly ok: true; readonly card: SimCard; readonly cardPresent: boolean }
  | { readonly ok: false; readonly reasonCode: number }
  | { readonly ok: false; readonly message: "deviceInfo" | "requiredField" };

const fingerprint = (text: string): string => createHash("sha256").update(text).digest("hex");

function cardFrom(pan: string, expiryMmyy: string | null, now: Date, cardPresent: boolean): ReadCard {
  if (!/^\d{12,19}$/.test(pan) || !passesLuhn(pan)) return { ok: false, reasonCode: cardPresent ? 315 : 6 };
  if (expiryMmyy !== null) {
    const month = Number(expiryMmyy.slice(0, 2));
    const year = 2000 + Number(expiryMmyy.slice(2));
    if (!(month >= 1 && month <= 12)) return { ok: false, reasonCode: cardPresent ? 316 : 7 };
    if (year * 12 + month < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) {
      return { ok: false, reasonCode: cardPresent ? 317 : 8 };
    }
  }
  return {
    ok: true,
    cardPresent,
    card: {
      bin: pan.slice(0, 6),
      last4: pan.slice(-4),
      expiry: expiryMmyy,
      accountType: accountTypeOf(pan.slice(0, 6)),
      fingerprint: fingerprint(pan),
      sandboxCard: sandboxCardOf(maskDigits(pan)),
    },
  };
}

// Track 1: %B{PAN}^{NAME}^{YYMM}{service code}{discretionary}?  Track 2: ;{PAN}={YYMM}{...}?
// Sentinels are optional, as clients send them either way.
const TRACK1 = /^%?B(\d{12,19})\^[^^]{0,26}\^(\d{2})(\d{2})[^?]*\??$/;
const TRACK2 = /^;?(\d{12,19})=(\d{2})(\d{2})[^?]*\??$/;

/** The masked number and expiry inside a MagneSafe block's clear, masked tracks. */
const MASKED_TRACK2 = /;(\d{6})\*{2,9}(\d{4})=(\d{2})(\d{2})/;
const MASKED_TRACK1 = /%B(\d{6})\*{2,9}(\d{4})\^[^^]*\^(\d{2})(\d{2})/;

type Json = Record<string, unknown>;
const object = (value: unknown): Json | null =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/**
 * The reader's block as an encrypting reader sends it: the simulator has no DUKPT base key, so, as
 * processors' test modes do, it decides by the masked tracks the block carries in clear, and checks
 * the rest is there (KSN, an encrypted track) without reading it.
 */
function readEncrypted(value: Json, now: Date): ReadCard {
  const key = object(object(value.FormOfPayment)?.Value);
  const dukpt = object(object(key?.Scheme)?.DUKPT);
  const description = text(object(dukpt?.DeviceInfo)?.Description);
  const block = text(object(dukpt?.EncryptedData)?.Value);
  if (!key || !dukpt || key.Encoding !== "Hex" || dukpt.Operation !== "DECRYPT" || block === null) {
    return { ok: false, message: "requiredField" };
  }
  if (description === null || !/^(?:[0-9A-Fa-f]{2})+$/.test(description))
    return { ok: false, message: "deviceInfo" };
  if (!Buffer.from(description, "hex").toString("latin1").startsWith("FID="))
    return { ok: false, message: "deviceInfo" };
  if (!/^(?:[0-9A-Fa-f]{2}){8,4096}$/.test(block)) return { ok: false, reasonCode: 315 };
  const fields = Buffer.from(block, "hex").toString("latin1").split("|");
  const ksn = fields[9] ?? "";
  const track2 = fields[3] ?? "";
  const track1 = fields[2] ?? "";
  if (!/^(?:[0-9A-Fa-f]{20}|[0-9A-Fa-f]{24})$/.test(ksn) || !/^[0-9A-Fa-f]+$/.test(`${track2}${track1}`)) {
    return { ok: false, reasonCode: 315 };
  }
  const masked = MASKED_TRACK2.exec(fields[0] ?? "") ?? MASKED_TRACK1.exec(fields[0] ?? "");
  if (!masked) return { ok: false, reasonCode: 315 };
  const [, bin = "", last4 = "", yy = "", mm = ""] = masked;
  const maskedPan = `${bin}${"*".repeat((fields[0] ?? "").match(/\*+/)?.[0].length ?? 3)}${last4}`;
  const expiry = `${mm}${yy}`;
  if (Number(`20${yy}`) * 12 + Number(mm) < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) {
    return { ok: false, reasonCode: 317 };
  }
  return {
    ok: true,
    cardPresent: true,
    card: {
      bin,
      last4,
      expiry,
      accountType: accountTypeOf(bin),
      fingerprint: fingerprint(`${track2}${track1}${ksn}`),
      sandboxCard: sandboxCardOf(maskedPan),
    },
  };
}

/** "2030-12", "1230" or "XXXX" → "MMYY", or null for the masked form refunds use. */
function expiryOf(value: string | null): string | null | false {
  if (value === null || value === "XXXX") return null;
  const iso = /^(\d{4})-(\d{2})$/.exec(value);
  if (iso) return `${iso[2]}${iso[1]?.slice(2)}`;
  if (/^\d{4}$/.test(value)) return value;
  return false;
}

/** Reads `payment` as the API takes it for a charge: a card, a swipe's track, or a reader's block. */
export function readPayment(payment: unknown, now: Date): ReadCard {
  const value = object(payment);
  const track = object(value?.trackData);
  if (track) {
    const track1 = text(track.track1);
    const track2 = text(track.track2);
    if ((track1 === null) === (track2 === null)) return { ok: false, message: "requiredField" };
    const match = track1 !== null ? TRACK1.exec(track1) : TRACK2.exec(track2 ?? "");
    if (!match) return { ok: false, reasonCode: 315 };
    const [, pan = "", yy = "", mm = ""] = match;
    return cardFrom(pan, `${mm}${yy}`, now, true);
  }
  const encrypted = object(value?.encryptedTrackData);
  if (encrypted) return readEncrypted(encrypted, now);
  const card = object(value?.creditCard);
  if (card) {
    const expiry = expiryOf(text(card.expirationDate));
    if (expiry === false) return { ok: false, reasonCode: 7 };
    return cardFrom(text(card.cardNumber) ?? "", expiry, now, false);
  }
  return { ok: false, message: "requiredField" };
}

/** The last 4 digits a refund names ("1111" or "XXXX1111"), or null. */
export function refundCardDigits(payment: unknown): string | null {
  const number = text(object(object(payment)?.creditCard)?.cardNumber);
  const match = number ? /^(?:X{4})?(\d{4})$/.exec(number) : null;
  return match?.[1] ?? null;
}
