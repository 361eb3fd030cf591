import { randomUUID } from "node:crypto";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type {
  HostedEntry,
  HostedEntryPurpose,
  HostedEntryStatus,
  SavedCard,
} from "../../payments/card-processor.js";
import { type AuthorizeNetApi, refused } from "./api-client.js";
import { profileToken } from "./card-payment.js";
import {
  createCustomerProfileResponseSchema,
  customerProfileResponseSchema,
  hostedPageResponseSchema,
  plainResponseSchema,
  RESULT_OK,
} from "./wire-types.js";

/** Authorize.Net's hosted-form tokens last 15 minutes. */
const TOKEN_LIFETIME_MS = 15 * 60_000;

const BRANDS: Readonly<Record<string, string>> = {
  Visa: "Visa",
  MasterCard: "Mastercard",
  AmericanExpress: "American Express",
  Discover: "Discover",
  JCB: "JCB",
  DinersClub: "Diners Club",
};

/**
 * Keyed cards on Authorize.Net's hosted form (Accept Customer), in the staff screen's frame: the kiosk
 * opens an empty customer profile, and staff key the card into Authorize.Net's page, which saves it
 * to that profile; the kiosk never sees the number. The kiosk then charges the profile under its
 * intent like any saved card, with its own reference, so a keyed payment is found after a crash like
 * a swiped one. (Accept Hosted, the payment form, would charge the card itself before the kiosk's
 * intent exists; see docs/card-processing.md.) The session id is the customer profile's id.
 */
export class HostedProfileEntry {
  readonly #started = new Map<string, number>();

  constructor(
    private readonly api: AuthorizeNetApi,
    private readonly formUrl: string,
    private readonly now: () => Date,
  ) {}

  async start(purpose: HostedEntryPurpose): Promise<HostedEntry> {
    const created = await this.api.call(
      "createCustomerProfileRequest",
      { profile: { description: `Spectra keyed entry (${purpose}) ${randomUUID()}` } },
      createCustomerProfileResponseSchema,
    );
    if (created.messages.resultCode !== RESULT_OK || !created.customerProfileId) {
      throw refused("createCustomerProfileRequest", created.messages);
    }
    const sessionId = created.customerProfileId;
    const page = await this.api.call(
      "getHostedProfilePageRequest",
      {
        customerProfileId: sessionId,
        hostedProfileSettings: {
          setting: [
            { settingName: "hostedProfilePageBorderVisible", settingValue: "false" },
            { settingName: "hostedProfileValidationMode", settingValue: "liveMode" },
            { settingName: "hostedProfileCardCodeRequired", settingValue: "true" },
          ],
        },
      },
      hostedPageResponseSchema,
    );
    if (page.messages.resultCode !== RESULT_OK || !page.token)
      throw refused("getHostedProfilePageRequest", page.messages);
    this.#started.set(sessionId, this.now().getTime());
    return { sessionId, url: this.formUrl, formFields: { token: page.token } };
  }

  /** The card keyed for this session, or null while none is. */
  async #card(sessionId: string): Promise<(SavedCard & { paymentProfileId: string }) | null | "gone"> {
    if (!/^\d{1,20}$/.test(sessionId)) return "gone";
    const answer = await this.api.call(
      "getCustomerProfileRequest",
      { customerProfileId: sessionId },
      customerProfileResponseSchema,
    );
    if (answer.messages.resultCode !== RESULT_OK) {
      if (answer.messages.message[0]?.code === "E00040") return "gone";
      throw refused("getCustomerProfileRequest", answer.messages);
    }
    const payment = answer.profile?.paymentProfiles?.[0];
    if (!payment) return null;
    const card = payment.payment?.creditCard;
    return {
      paymentProfileId: payment.customerPaymentProfileId,
      token: profileToken(sessionId, payment.customerPaymentProfileId),
      brand: card?.cardType ? (BRANDS[card.cardType] ?? card.cardType) : null,
      last4: /(\d{4})$/.exec(card?.cardNumber ?? "")?.[1] ?? "0000",
      expiry: null,
    };
  }

  async status(sessionId: string): Promise<HostedEntryStatus> {
    const card = await this.#card(sessionId);
    if (card === "gone") return { state: "cancelled" };
    if (card) {
      const { paymentProfileId: _, ...saved } = card;
      return { state: "completed", card: saved };
    }
    const started = this.#started.get(sessionId);
    if (started !== undefined && this.now().getTime() - started > TOKEN_LIFETIME_MS)
      return { state: "expired" };
    return { state: "open" };
  }

  /** The profile ids of the card keyed for this session, for charging it. */
  async savedCard(sessionId: string): Promise<{ customerProfileId: string; paymentProfileId: string }> {
    const card = await this.#card(sessionId);
    if (card === null || card === "gone") {
      throw new KioskError(
        ErrorCodes.PROCESSOR_SESSION_INVALID,
        "No card was keyed on the hosted form for this entry.",
        {
          sessionId,
        },
      );
    }
    return { customerProfileId: sessionId, paymentProfileId: card.paymentProfileId };
  }

  async completedCard(sessionId: string): Promise<SavedCard> {
    const status = await this.status(sessionId);
    if (status.state !== "completed") {
      throw new KioskError(
        ErrorCodes.PROCESSOR_SESSION_INVALID,
        "No card was keyed on the hosted form for this entry.",
        {
          sessionId,
        },
      );
    }
    return status.card;
  }

  /** Deletes the session's profile, so the form can save nothing any more. */
  async cancel(sessionId: string): Promise<void> {
    this.#started.delete(sessionId);
    if (!/^\d{1,20}$/.test(sessionId)) return;
    const answer = await this.api.call(
      "deleteCustomerProfileRequest",
      { customerProfileId: sessionId },
      plainResponseSchema,
    );
    if (answer.messages.resultCode !== RESULT_OK && answer.messages.message[0]?.code !== "E00040") {
      throw refused("deleteCustomerProfileRequest", answer.messages);
    }
  }
}
