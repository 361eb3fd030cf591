import { randomBytes } from "node:crypto";
import type { MerchantBooks, SimCard, SimCustomerProfile } from "./merchant-books.js";
import { failedWith, MESSAGE, ok, type SimAnswer } from "./wire-answers.js";

type Json = Record<string, unknown>;
const object = (value: unknown): Json | null =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
const text = (value: unknown): string | null =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : null;

/** A customer may hold ten payment profiles (E00042 past that). */
const MAX_PAYMENT_PROFILES = 10;
const HOSTED_TOKEN_TTL_MS = 15 * 60_000;
const SAVABLE = new Set(["capturedPendingSettlement", "settledSuccessfully", "authorizedPendingCapture"]);

function addPaymentProfile(
  profile: SimCustomerProfile,
  card: SimCard,
  books: MerchantBooks,
): string | SimAnswer {
  if (profile.paymentProfiles.some((existing) => existing.card.fingerprint === card.fingerprint)) {
    return failedWith(
      MESSAGE.duplicateRecord,
      undefined,
      "A duplicate customer payment profile already exists.",
    );
  }
  if (profile.paymentProfiles.length >= MAX_PAYMENT_PROFILES) {
    return failedWith(["E00042", `You cannot add more than ${MAX_PAYMENT_PROFILES} payment profiles.`]);
  }
  const paymentProfileId = books.newProfileId();
  profile.paymentProfiles.push({ paymentProfileId, card });
  return paymentProfileId;
}

function newProfile(customer: Json | null, books: MerchantBooks): SimCustomerProfile | SimAnswer {
  const merchantCustomerId = text(customer?.merchantCustomerId);
  const description = text(customer?.description);
  if (
    merchantCustomerId !== null &&
    [...books.profiles.values()].some((p) => p.merchantCustomerId === merchantCustomerId)
  ) {
    return failedWith(
      MESSAGE.duplicateRecord,
      undefined,
      `A duplicate record with ID ${merchantCustomerId} already exists.`,
    );
  }
  const profile: SimCustomerProfile = {
    customerProfileId: books.newProfileId(),
    merchantCustomerId,
    description,
    paymentProfiles: [],
  };
  return profile;
}

/** createCustomerProfileFromTransactionRequest: the card of an approved charge saved as a payment profile. */
export function profileFromTransaction(body: Json, books: MerchantBooks): SimAnswer {
  const refId = text(body.refId) ?? undefined;
  const transaction = books.transactions.get(text(body.transId) ?? "");
  if (!transaction || transaction.type === "refundTransaction" || !SAVABLE.has(transaction.status)) {
    return failedWith(MESSAGE.notFound, refId);
  }
  const existingId = text(body.customerProfileId);
  const profile = existingId ? books.profiles.get(existingId) : newProfile(object(body.customer), books);
  if (!profile) return failedWith(MESSAGE.notFound, refId);
  if ("body" in profile) return profile;
  const paymentProfileId = addPaymentProfile(profile, transaction.card, books);
  if (typeof paymentProfileId !== "string") return paymentProfileId;
  books.profiles.set(profile.customerProfileId, profile);
  return ok(
    {
      customerProfileId: profile.customerProfileId,
      customerPaymentProfileIdList: [paymentProfileId],
      customerShippingAddressIdList: [],
      validationDirectResponseList: [],
    },
    refId,
  );
}

/** createCustomerProfileRequest, for a profile without payment data (the hosted form adds the card). */
export function createProfile(body: Json, books: MerchantBooks): SimAnswer {
  const refId = text(body.refId) ?? undefined;
  const requested = object(body.profile);
  if (!requested) return failedWith(MESSAGE.requiredField, refId);
  if (requested.paymentProfiles !== undefined) {
    return failedWith(MESSAGE.invalidField, refId, "The simulator takes cards only through the hosted form.");
  }
  if (
    text(requested.merchantCustomerId) === null &&
    text(requested.description) === null &&
    text(requested.email) === null
  ) {
    return failedWith(["E00041", "One or more fields in the profile must contain a value."], refId);
  }
  const profile = newProfile(requested, books);
  if ("body" in profile) return profile;
  books.profiles.set(profile.customerProfileId, profile);
  return ok(
    {
      customerProfileId: profile.customerProfileId,
      customerPaymentProfileIdList: [],
      customerShippingAddressIdList: [],
      validationDirectResponseList: [],
    },
    refId,
  );
}

export function getProfile(body: Json, books: MerchantBooks): SimAnswer {
  const refId = text(body.refId) ?? undefined;
  const profile = books.profiles.get(text(body.customerProfileId) ?? "");
  if (!profile) return failedWith(MESSAGE.notFound, refId);
  return ok(
    {
      profile: {
        ...(profile.merchantCustomerId ? { merchantCustomerId: profile.merchantCustomerId } : {}),
        ...(profile.description ? { description: profile.description } : {}),
        customerProfileId: profile.customerProfileId,
        ...(profile.paymentProfiles.length > 0
          ? {
              paymentProfiles: profile.paymentProfiles.map((payment) => ({
                customerPaymentProfileId: payment.paymentProfileId,
                payment: {
                  creditCard: {
                    cardNumber: `XXXX${payment.card.last4}`,
                    expirationDate: "XXXX",
                    cardType: payment.card.accountType,
                  },
                },
              })),
            }
          : {}),
        profileType: "regular",
      },
    },
    refId,
  );
}

/** getHostedProfilePageRequest: a token for the hosted form (Accept Customer) that adds a card to a profile. */
export function hostedProfilePage(body: Json, books: MerchantBooks, now: Date): SimAnswer {
  const refId = text(body.refId) ?? undefined;
  const customerProfileId = text(body.customerProfileId) ?? "";
  if (!books.profiles.has(customerProfileId)) return failedWith(MESSAGE.notFound, refId);
  const token = randomBytes(48).toString("base64url");
  books.hostedTokens.set(token, {
    token,
    customerProfileId,
    expiresAt: new Date(now.getTime() + HOSTED_TOKEN_TTL_MS),
    used: false,
  });
  return ok({ token }, refId);
}

/** Adds the card typed on the hosted form to the token's profile. */
export function addCardFromHostedForm(
  token: string,
  card: SimCard,
  books: MerchantBooks,
  now: Date,
): "saved" | "expired" | "duplicate" {
  const entry = books.hostedTokens.get(token);
  const profile = entry ? books.profiles.get(entry.customerProfileId) : undefined;
  if (!entry || !profile || entry.used || entry.expiresAt < now) return "expired";
  const added = addPaymentProfile(profile, card, books);
  if (typeof added !== "string") return "duplicate";
  entry.used = true;
  return "saved";
}

/** deleteCustomerProfileRequest: the profile and every card in it; E00040 when there is none. */
export function deleteProfile(body: Json, books: MerchantBooks): SimAnswer {
  const refId = text(body.refId) ?? undefined;
  const customerProfileId = text(body.customerProfileId) ?? "";
  if (!books.profiles.delete(customerProfileId)) return failedWith(MESSAGE.notFound, refId);
  return ok({}, refId);
}

/** deleteCustomerPaymentProfileRequest: one card of a profile; E00040 when the profile or card is not there. */
export function deletePaymentProfile(body: Json, books: MerchantBooks): SimAnswer {
  const refId = text(body.refId) ?? undefined;
  const profile = books.profiles.get(text(body.customerProfileId) ?? "");
  const paymentProfileId = text(body.customerPaymentProfileId);
  const index = profile?.paymentProfiles.findIndex(
    (payment) => payment.paymentProfileId === paymentProfileId,
  );
  if (!profile || index === undefined || index < 0) return failedWith(MESSAGE.notFound, refId);
  profile.paymentProfiles.splice(index, 1);
  return ok({}, refId);
}
