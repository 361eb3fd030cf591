import type { CardExpiry, CardSource, EncryptedCardPayload } from "../../payments/card-processor.js";

/** How a card reaches Authorize.Net: the `payment` (or `profile`) member and, for card present, `retail`. */
export interface CardPayment {
  readonly payment?: Record<string, unknown>;
  readonly profile?: Record<string, unknown>;
  readonly cardPresent: boolean;
}

/** "FID=..." names the reader's data format to Authorize.Net's decryption service (hex in the request). */
export const MAGTEK_DEVICE_INFO = "FID=MAGTEK.MagneSafe.V5";

const hex = (text: string): string => Buffer.from(text, "latin1").toString("hex").toUpperCase();
const yymm = (expiry: CardExpiry): string =>
  `${String(expiry.year % 100).padStart(2, "0")}${String(expiry.month).padStart(2, "0")}`;

/**
 * A MagneSafe reader's record as the reader lays it out (masked tracks | status | encrypted track 1 |
 * encrypted track 2 | … | device serial | … | KSN), rebuilt from what the driver kept: nothing in it
 * is the clear number. Authorize.Net decrypts it with the reader's DUKPT key; the kiosk cannot.
 */
export function magneSafeBlock(payload: EncryptedCardPayload): string {
  const maskedTrack2 = `;${payload.maskedPan}=${yymm(payload.expiry)}?`;
  return [
    maskedTrack2,
    "",
    payload.encryptedTrack1 ?? "",
    payload.encryptedTrack2,
    "",
    "",
    "",
    payload.deviceSerial ?? "",
    "",
    payload.ksn,
  ].join("|");
}

/** The encrypted swipe as `payment.encryptedTrackData`, members in the schema's order. */
export function encryptedTrackData(payload: EncryptedCardPayload, deviceInfo = MAGTEK_DEVICE_INFO) {
  return {
    FormOfPayment: {
      Value: {
        Encoding: "Hex",
        EncryptionAlgorithm: payload.ksn.length === 24 ? "AES" : "TDES",
        Scheme: {
          DUKPT: {
            Operation: "DECRYPT",
            Mode: { Data: "1" },
            DeviceInfo: { Description: hex(deviceInfo) },
            EncryptedData: { Value: hex(magneSafeBlock(payload)) },
          },
        },
      },
    },
  };
}

/** A saved card's token: "{customer profile id}/{payment profile id}". */
export function parseProfileToken(
  token: string,
): { customerProfileId: string; paymentProfileId: string } | null {
  const match = /^(\d{1,20})\/(\d{1,20})$/.exec(token);
  return match?.[1] && match[2] ? { customerProfileId: match[1], paymentProfileId: match[2] } : null;
}

export const profileToken = (customerProfileId: string, paymentProfileId: string): string =>
  `${customerProfileId}/${paymentProfileId}`;

/**
 * The `payment` for a card source: a plain swipe's track (track 2 when read, else track 1) — or, for
 * a number without its tracks, the number and expiry; a reader-encrypted swipe's block; a saved card
 * or a hosted entry (a customer profile) as `profile`. Returns null for a source it cannot send.
 */
export function cardPayment(
  source: CardSource,
  hostedProfile?: { customerProfileId: string; paymentProfileId: string },
): CardPayment | null {
  switch (source.kind) {
    case "swiped": {
      const track2 = source.tracks?.track2 ?? null;
      const track1 = source.tracks?.track1 ?? null;
      if (track2 !== null || track1 !== null) {
        return {
          cardPresent: true,
          payment: { trackData: track2 !== null ? { track2 } : { track1 } },
        };
      }
      const { month, year } = source.expiry;
      return {
        cardPresent: true,
        payment: {
          creditCard: {
            cardNumber: source.card.digits(),
            expirationDate: `${year}-${String(month).padStart(2, "0")}`,
          },
        },
      };
    }
    case "encrypted":
      return { cardPresent: true, payment: { encryptedTrackData: encryptedTrackData(source.payload) } };
    case "token": {
      const parsed = parseProfileToken(source.token);
      return parsed ? { cardPresent: false, profile: profileMember(parsed) } : null;
    }
    case "hosted":
      return hostedProfile ? { cardPresent: false, profile: profileMember(hostedProfile) } : null;
    // Stripe's smart reader and payment pages: Authorize.Net has neither.
    case "reader":
    case "pay-link":
      return null;
  }
}

const profileMember = (ids: { customerProfileId: string; paymentProfileId: string }) => ({
  customerProfileId: ids.customerProfileId,
  paymentProfile: { paymentProfileId: ids.paymentProfileId },
});
