import { type ErrorCode, ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { WireError } from "./api.js";

/** The issuer's answers, in words a client at the counter understands, with what to do next. */
const DECLINES: Record<string, { code: ErrorCode; message: string }> = {
  card_declined: {
    code: ErrorCodes.PROCESSOR_DECLINED,
    message: "The card was declined. Please try another card.",
  },
  insufficient_funds: {
    code: ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS,
    message: "The card was declined for insufficient funds. Please try another card or a smaller amount.",
  },
  expired_card: {
    code: ErrorCodes.PROCESSOR_EXPIRED_CARD,
    message: "The card has expired. Please use another card.",
  },
  do_not_honor: {
    code: ErrorCodes.PROCESSOR_DO_NOT_HONOR,
    message: "The card's bank declined it. Please call your bank or try another card.",
  },
  invalid_card: {
    code: ErrorCodes.PROCESSOR_INVALID_CARD,
    message: "The card could not be read as a valid card. Please try again or use another card.",
  },
};

/** Maps a gateway error response to the kiosk's coded error. */
export function fromWireError(status: number, body: WireError | null): KioskError {
  const error = body?.error;
  if (error?.type === "card_error") {
    const decline = DECLINES[error.code] ?? (DECLINES.card_declined as { code: ErrorCode; message: string });
    return new KioskError(decline.code, decline.message, { declineCode: error.code });
  }
  if (error?.type === "idempotency_error") {
    return new KioskError(
      ErrorCodes.PROCESSOR_IDEMPOTENCY_CONFLICT,
      "The processor already saw this request with other details; nothing new was charged.",
      { status },
    );
  }
  if (status === 401 || status === 403) {
    return new KioskError(
      ErrorCodes.PROCESSOR_UNAVAILABLE,
      "The card processor refused the kiosk's credentials: check processor.apiKey. Nothing was charged.",
      { status },
    );
  }
  if (status >= 400 && status < 500) {
    return new KioskError(
      ErrorCodes.PROCESSOR_REJECTED_REQUEST,
      `The card processor rejected the request (${error?.code ?? status}). Nothing was charged.`,
      { status },
    );
  }
  return new KioskError(
    ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
    "The card processor failed while answering; the kiosk will check whether the card was charged.",
    { status },
  );
}

export function isDecline(error: KioskError): boolean {
  return Object.values(DECLINES).some((decline) => decline.code === error.code);
}
