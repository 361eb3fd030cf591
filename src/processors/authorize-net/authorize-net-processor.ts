import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type {
  CardProcessor,
  CardSource,
  Charge,
  ProcessorCard,
  RefundResult,
  SaleRequest,
} from "../../payments/card-processor.js";
import { type Money, parseMoney, toDecimalString } from "../../payments/money.js";
import { type AuthorizeNetApi, refused } from "./api-client.js";
import { cardPayment, profileToken } from "./card-payment.js";
import { declineError, heldForReviewError } from "./decline-reasons.js";
import { HostedProfileEntry } from "./hosted-profile-entry.js";
import { invoiceReference } from "./invoice-reference.js";
import {
  findByReference,
  HELD,
  isChargeMade,
  isRefundMade,
  transactionDetails,
} from "./transaction-search.js";
import {
  createCustomerProfileResponseSchema,
  createTransactionResponseSchema,
  plainResponseSchema,
  RESPONSE_CODE,
  RESULT_OK,
  TRANSACTION_STATUS,
  type WireTransactionDetails,
  type WireTransactionResponse,
} from "./wire-types.js";

export interface AuthorizeNetProcessorOptions {
  readonly api: AuthorizeNetApi;
  /** The account's currency: Authorize.Net accounts settle in one. */
  readonly currency: string;
  /** transRetailInfoType.deviceType: 3 "self-service terminal" for a kiosk, 2 "unattended terminal". */
  readonly deviceType: number;
  /** Seconds within which Authorize.Net refuses a repeat of a transaction (max 28,800 = 8 hours). */
  readonly duplicateWindowSeconds: number;
  /** Where the hosted form (Accept Customer) takes its token. */
  readonly hostedFormUrl: string;
  /** How many days of settled batches a look-up reads (at most 31). */
  readonly settledLookupDays: number;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** Authorize.Net's card types, in the brand names the kiosk's records use. */
const BRANDS: Readonly<Record<string, string>> = {
  Visa: "Visa",
  MasterCard: "Mastercard",
  AmericanExpress: "American Express",
  Discover: "Discover",
  JCB: "JCB",
  DinersClub: "Diners Club",
};
const brandOf = (accountType: string | undefined): string | null =>
  accountType ? (BRANDS[accountType] ?? accountType) : null;
const lastFourOf = (accountNumber: string | undefined): string =>
  /(\d{4})$/.exec(accountNumber ?? "")?.[1] ?? "0000";

/** What the kiosk knows of the card before Authorize.Net answers: the reader's mask, never more. */
function cardFromSource(source: CardSource, answer: WireTransactionResponse): ProcessorCard {
  const maskedPan =
    source.kind === "swiped"
      ? source.card.masked
      : source.kind === "encrypted"
        ? source.payload.maskedPan
        : null;
  const expiry =
    source.kind === "swiped" ? source.expiry : source.kind === "encrypted" ? source.payload.expiry : null;
  return { brand: brandOf(answer.accountType), maskedPan, last4: lastFourOf(answer.accountNumber), expiry };
}

/**
 * The Authorize.Net processor (card present): swipes go as track data, MagneSafe swipes as the
 * reader's encrypted block, saved cards as customer payment profiles, keyed cards through the hosted
 * form. Authorize.Net has no idempotency keys: each call carries a reference made from its key as
 * invoice number and refId, a repeat inside the duplicate window is refused with the original's id,
 * and `lookup` finds a call's transaction by its reference in the transaction lists.
 */
export function authorizeNetProcessor(options: AuthorizeNetProcessorOptions): CardProcessor {
  const { api, logger } = options;
  const now = options.now ?? (() => new Date());
  const hosted = new HostedProfileEntry(api, options.hostedFormUrl, now);
  const settings = {
    setting: [{ settingName: "duplicateWindow", settingValue: String(options.duplicateWindowSeconds) }],
  };
  const money = (amount: WireTransactionDetails["authAmount"]): Money => parseMoney(amount, options.currency);
  const checkCurrency = (amount: Money): void => {
    if (amount.currency !== options.currency) {
      throw new KioskError(
        ErrorCodes.PROCESSOR_REJECTED_REQUEST,
        `This Authorize.Net account takes ${options.currency}, not ${amount.currency}. Nothing was charged.`,
      );
    }
  };

  /** A charge as the details of a transaction describe it (after a look-up or a duplicate). */
  async function chargeFromDetails(details: WireTransactionDetails, key: string): Promise<Charge> {
    const card = details.payment?.creditCard;
    const profile = details.profile;
    return {
      chargeId: details.transId,
      amount: money(details.authAmount),
      authorizationCode: details.authCode ?? "",
      card: {
        brand: brandOf(card?.cardType),
        maskedPan: null,
        last4: lastFourOf(card?.cardNumber),
        expiry: null,
      },
      token:
        profile?.customerProfileId && profile.customerPaymentProfileId
          ? profileToken(profile.customerProfileId, profile.customerPaymentProfileId)
          : null,
      idempotencyKey: key,
    };
  }

  /** Declines a transaction the fraud filters hold, so no one can approve it later without a record. */
  async function declineHeld(transId: string): Promise<void> {
    const answer = await api.call(
      "updateHeldTransactionRequest",
      { heldTransactionRequest: { action: "decline", refTransId: transId } },
      plainResponseSchema,
    );
    if (answer.messages.resultCode !== RESULT_OK)
      throw refused("updateHeldTransactionRequest", answer.messages);
  }

  /** What a repeat inside the duplicate window means: the original's outcome, never a new charge. */
  async function duplicateOutcome(answer: WireTransactionResponse, key: string): Promise<Charge> {
    const transId = answer.transId && answer.transId !== "0" ? answer.transId : null;
    const details = transId
      ? await transactionDetails(api, transId)
      : await lookupDetails(invoiceReference(key), "charge");
    if (!details) {
      throw new KioskError(
        ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
        "Authorize.Net called this a duplicate but the original was not found; the kiosk will look again.",
      );
    }
    if (isChargeMade(details.transactionStatus)) return chargeFromDetails(details, key);
    if (HELD.has(details.transactionStatus)) {
      await declineHeld(details.transId);
      throw heldForReviewError(details.transId);
    }
    throw declineError(String(details.responseCode ?? 2), details.responseReasonCode ?? 2, "declined");
  }

  async function lookupDetails(
    reference: string,
    wanted: "charge" | "refund",
  ): Promise<WireTransactionDetails | null> {
    const found = await findByReference(api, reference, wanted, {
      now: now(),
      settledDays: options.settledLookupDays,
    });
    return found ? transactionDetails(api, found.transId) : null;
  }

  async function charge(request: SaleRequest, source: CardSource): Promise<Charge> {
    checkCurrency(request.amount);
    const hostedProfile = source.kind === "hosted" ? await hosted.savedCard(source.sessionId) : undefined;
    const payment = cardPayment(source, hostedProfile);
    if (!payment) {
      throw new KioskError(
        ErrorCodes.PROCESSOR_REJECTED_REQUEST,
        "This saved card is not an Authorize.Net profile.",
      );
    }
    const reference = invoiceReference(request.idempotencyKey);
    const answer = await api.call(
      "createTransactionRequest",
      {
        transactionRequest: {
          transactionType: "authCaptureTransaction",
          amount: toDecimalString(request.amount),
          ...(payment.payment ? { payment: payment.payment } : {}),
          ...(payment.profile ? { profile: payment.profile } : {}),
          order: {
            invoiceNumber: reference,
            description: `Spectra ${request.reference.deviceId}`.slice(0, 255),
          },
          ...(payment.cardPresent
            ? { retail: { marketType: "2", deviceType: String(options.deviceType) } }
            : {}),
          transactionSettings: settings,
        },
      },
      createTransactionResponseSchema,
      reference,
    );
    const result = answer.transactionResponse;
    if (!result) {
      if (answer.messages.message[0]?.code === "E00040") {
        throw new KioskError(ErrorCodes.SAVED_CARD_MISSING, "Authorize.Net no longer holds this saved card.");
      }
      throw refused("createTransactionRequest", answer.messages);
    }
    const reasonCode = Number(result.errors?.[0]?.errorCode ?? result.messages?.[0]?.code ?? 0);
    switch (result.responseCode) {
      case RESPONSE_CODE.approved: {
        const charged: Charge = {
          chargeId: result.transId ?? "",
          amount: request.amount,
          authorizationCode: result.authCode ?? "",
          card: cardFromSource(source, result),
          // A keyed card's profile is kept for the client only when they agreed to save it.
          token:
            source.kind === "token"
              ? source.token
              : hostedProfile && request.saveCardFor
                ? profileToken(hostedProfile.customerProfileId, hostedProfile.paymentProfileId)
                : null,
          idempotencyKey: request.idempotencyKey,
        };
        if (!request.saveCardFor || charged.token) return charged;
        return { ...charged, token: await saveFromSale(charged.chargeId, request.saveCardFor.clientId) };
      }
      case RESPONSE_CODE.heldForReview: {
        const transId = result.transId ?? "";
        try {
          await declineHeld(transId);
        } catch (error) {
          logger.warn(`held transaction ${transId} not declined yet: ${(error as Error).message}`);
          throw new KioskError(
            ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
            "Authorize.Net held the payment for review; the kiosk will decline it and check again.",
            { transId },
          );
        }
        throw heldForReviewError(transId);
      }
      default:
        if (reasonCode === 11 || reasonCode === 318) return duplicateOutcome(result, request.idempotencyKey);
        throw declineError(result.responseCode, reasonCode, result.errors?.[0]?.errorText ?? "");
    }
  }

  /** A customer payment profile from an approved sale; a failure here leaves the charge as it is. */
  async function saveFromSale(transId: string, clientId: string): Promise<string | null> {
    try {
      const answer = await api.call(
        "createCustomerProfileFromTransactionRequest",
        { transId, customer: { description: `Spectra client ${clientId}`.slice(0, 255) } },
        createCustomerProfileResponseSchema,
      );
      const paymentProfileId = answer.customerPaymentProfileIdList?.[0];
      if (answer.messages.resultCode !== RESULT_OK || !answer.customerProfileId || !paymentProfileId) {
        throw refused("createCustomerProfileFromTransactionRequest", answer.messages);
      }
      return profileToken(answer.customerProfileId, paymentProfileId);
    } catch (error) {
      logger.warn(`the card of ${transId} was charged but not saved: ${(error as Error).message}`);
      return null;
    }
  }

  async function transactionCall(
    transactionRequest: Record<string, unknown>,
    reference?: string,
  ): Promise<WireTransactionResponse> {
    const answer = await api.call(
      "createTransactionRequest",
      { transactionRequest },
      createTransactionResponseSchema,
      reference,
    );
    if (!answer.transactionResponse) throw refused("createTransactionRequest", answer.messages);
    return answer.transactionResponse;
  }

  const reasonOf = (result: WireTransactionResponse): number =>
    Number(result.errors?.[0]?.errorCode ?? result.messages?.[0]?.code ?? 0);

  async function voidCharge(chargeId: string): Promise<void> {
    const result = await transactionCall({ transactionType: "voidTransaction", refTransId: chargeId });
    // 310: already voided (a void sent again is harmless).
    if (result.responseCode === RESPONSE_CODE.approved) return;
    const details = await transactionDetails(api, chargeId).catch(() => null);
    if (details?.transactionStatus === TRANSACTION_STATUS.voided) return;
    throw declineError(result.responseCode, reasonOf(result), result.errors?.[0]?.errorText ?? "");
  }

  async function lookupRefund(idempotencyKey: string): Promise<RefundResult | null> {
    const details = await lookupDetails(invoiceReference(idempotencyKey), "refund");
    if (!details || !isRefundMade(details.transactionStatus)) return null;
    return {
      refundId: details.transId,
      chargeId: details.refTransId ?? "",
      amount: money(details.authAmount),
    };
  }

  return {
    kind: "gateway",
    sale: (request) => charge(request, request.source),
    chargeSavedCard: (request) =>
      charge(
        { ...request, source: { kind: "token", token: request.token } },
        { kind: "token", token: request.token },
      ),

    void: (request) => voidCharge(request.chargeId),

    async refund(request): Promise<RefundResult> {
      checkCurrency(request.amount);
      const original = await transactionDetails(api, request.chargeId).catch((error: unknown) => {
        if (isKioskError(error, ErrorCodes.PROCESSOR_REJECTED_REQUEST)) {
          throw new KioskError(
            ErrorCodes.PROCESSOR_REJECTED_REQUEST,
            "Authorize.Net has no such charge to refund.",
          );
        }
        throw error;
      });
      if (original.transactionStatus === TRANSACTION_STATUS.capturedPendingSettlement) {
        throw new KioskError(
          ErrorCodes.PROCESSOR_REFUND_NOT_SETTLED,
          "This card payment has not settled yet (Authorize.Net settles once a day): refund it after settlement, or have a manager void it today.",
          { chargeId: request.chargeId },
        );
      }
      if (original.transactionStatus !== TRANSACTION_STATUS.settledSuccessfully) {
        throw new KioskError(
          ErrorCodes.PROCESSOR_REJECTED_REQUEST,
          `Authorize.Net cannot refund a charge that is ${original.transactionStatus}. Nothing was refunded.`,
          { chargeId: request.chargeId },
        );
      }
      // The money goes back to the charge's own card: its profile, or its last 4, never another.
      const card = original.payment?.creditCard?.cardNumber ?? "";
      const reference = invoiceReference(request.idempotencyKey);
      const refundTo = (byProfile: boolean) =>
        transactionCall(
          {
            transactionType: "refundTransaction",
            amount: toDecimalString(request.amount),
            ...(byProfile && original.profile?.customerProfileId
              ? {
                  profile: {
                    customerProfileId: original.profile.customerProfileId,
                    paymentProfile: { paymentProfileId: original.profile.customerPaymentProfileId },
                  },
                }
              : { payment: { creditCard: { cardNumber: card, expirationDate: "XXXX" } } }),
            refTransId: request.chargeId,
            order: { invoiceNumber: reference },
            transactionSettings: settings,
          },
          reference,
        );
      // A keyed card the client did not keep has had its profile deleted (E00040, nothing done):
      // the refund goes to the card's last 4 instead.
      const result = await refundTo(true).catch((error: unknown) => {
        const gone =
          isKioskError(error, ErrorCodes.PROCESSOR_REJECTED_REQUEST) &&
          error.context.messageCode === "E00040";
        if (gone && original.profile?.customerProfileId && card) return refundTo(false);
        throw error;
      });
      const reasonCode = reasonOf(result);
      if (result.responseCode === RESPONSE_CODE.approved) {
        return { refundId: result.transId ?? "", chargeId: request.chargeId, amount: request.amount };
      }
      if (reasonCode === 11) {
        // A repeat inside the duplicate window: the first refund's answer, never a second refund.
        const transId = result.transId && result.transId !== "0" ? result.transId : null;
        const first = transId ? await transactionDetails(api, transId) : null;
        if (first && isRefundMade(first.transactionStatus)) {
          return { refundId: first.transId, chargeId: request.chargeId, amount: money(first.authAmount) };
        }
        const made = await lookupRefund(request.idempotencyKey);
        if (made) return made;
      }
      throw declineError(result.responseCode, reasonCode, result.errors?.[0]?.errorText ?? "");
    },

    async lookup(idempotencyKey) {
      const reference = invoiceReference(idempotencyKey);
      const held = await findByReference(api, reference, "held", { now: now(), settledDays: 0 });
      // A held payment is declined before the kiosk says nothing was charged.
      if (held) await declineHeld(held.transId);
      const details = await lookupDetails(reference, "charge");
      return details ? chargeFromDetails(details, idempotencyKey) : null;
    },

    lookupRefund,

    async saveCard(request) {
      if (request.source.kind === "hosted") return hosted.completedCard(request.source.sessionId);
      // A verification: an authorization for the smallest amount, its card saved, the authorization voided.
      const reference = invoiceReference(request.idempotencyKey);
      const payment = cardPayment(request.source);
      if (!payment?.payment)
        throw new KioskError(ErrorCodes.PROCESSOR_REJECTED_REQUEST, "This card cannot be saved again.");
      const result = await transactionCall(
        {
          transactionType: "authOnlyTransaction",
          amount: toDecimalString({ minor: 1, currency: options.currency }),
          payment: payment.payment,
          order: { invoiceNumber: reference },
          ...(payment.cardPresent
            ? { retail: { marketType: "2", deviceType: String(options.deviceType) } }
            : {}),
          transactionSettings: settings,
        },
        reference,
      );
      if (result.responseCode !== RESPONSE_CODE.approved) {
        throw declineError(result.responseCode, reasonOf(result), result.errors?.[0]?.errorText ?? "");
      }
      const transId = result.transId ?? "";
      const token = await saveFromSale(transId, request.clientId);
      await voidCharge(transId);
      if (!token)
        throw new KioskError(ErrorCodes.PROCESSOR_REJECTED_REQUEST, "Authorize.Net did not save the card.");
      const card = cardFromSource(request.source, result);
      return { token, brand: card.brand, last4: card.last4, expiry: card.expiry };
    },

    startHostedEntry: (request) => hosted.start(request.purpose),
    hostedEntryStatus: (sessionId) => hosted.status(sessionId),
    cancelHostedEntry: (sessionId) => hosted.cancel(sessionId),

    async reachable() {
      try {
        const answer = await api.call("authenticateTestRequest", {}, plainResponseSchema);
        return answer.messages.resultCode === RESULT_OK;
      } catch {
        return false;
      }
    },
  };
}
