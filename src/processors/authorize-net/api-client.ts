import type { z } from "zod";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import { AnswerTimeoutError, RequestNotSentError, type Transport } from "./api-transport.js";
import type { ApiMethod } from "./wire-order.js";
import { RESULT_OK, type WireMessages } from "./wire-types.js";

export interface ApiCredentials {
  readonly apiLoginId: string;
  readonly transactionKey: string;
}

/** Socket errors that mean the request never reached Authorize.Net, so nothing was done. */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** The message codes that say the API login id or transaction key was refused. */
const CREDENTIALS_REFUSED = new Set(["E00005", "E00006", "E00007", "E00008"]);

/**
 * Calls one API method: the request is `{ method: { merchantAuthentication, refId, ...body } }` with
 * the members in the schema's order (the caller writes `body` in order). The transaction key goes
 * only into the request's body, over TLS; nothing here logs a request or an answer.
 */
export class AuthorizeNetApi {
  constructor(
    private readonly transport: Transport,
    private readonly credentials: ApiCredentials,
    private readonly logger: Logger,
  ) {}

  async call<T extends { messages: WireMessages }>(
    method: ApiMethod,
    body: Record<string, unknown>,
    schema: z.ZodType<T>,
    refId?: string,
  ): Promise<T> {
    const request = {
      [method]: {
        merchantAuthentication: {
          name: this.credentials.apiLoginId,
          transactionKey: this.credentials.transactionKey,
        },
        ...(refId === undefined ? {} : { refId }),
        ...body,
      },
    };
    let text: string;
    try {
      text = await this.transport(JSON.stringify(request));
    } catch (error) {
      throw transportFailure(method, error);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new KioskError(
        ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
        "Authorize.Net's answer was not understood; the kiosk will check whether the card was charged.",
        { method },
      );
    }
    const first = parsed.data.messages.message[0];
    if (parsed.data.messages.resultCode !== RESULT_OK && first && CREDENTIALS_REFUSED.has(first.code)) {
      this.logger.warn(`Authorize.Net refused the API login id or transaction key (${first.code})`);
      throw new KioskError(
        ErrorCodes.PROCESSOR_UNAVAILABLE,
        "Authorize.Net refused the kiosk's credentials (API login id or transaction key). Nothing was charged.",
        { method, messageCode: first.code },
      );
    }
    return parsed.data;
  }
}

function transportFailure(method: ApiMethod, error: unknown): KioskError {
  if (error instanceof AnswerTimeoutError) {
    return new KioskError(
      ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
      "Authorize.Net did not answer in time; the kiosk will check whether the card was charged.",
      { method },
    );
  }
  const raw = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  const code = typeof raw === "string" ? raw : null;
  if (error instanceof RequestNotSentError || (code !== null && NOT_SENT.has(code))) {
    return new KioskError(
      ErrorCodes.PROCESSOR_UNAVAILABLE,
      "Authorize.Net cannot be reached. Nothing was charged.",
      { method, cause: code },
    );
  }
  return new KioskError(
    ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
    "The connection to Authorize.Net failed during the call; the kiosk will check whether the card was charged.",
    { method, ...(code !== null ? { cause: code } : {}) },
  );
}

/** A non-transaction call that did not work: what it was refused for, as a coded error. */
export function refused(method: ApiMethod, messages: WireMessages): KioskError {
  const first = messages.message[0];
  return new KioskError(
    ErrorCodes.PROCESSOR_REJECTED_REQUEST,
    `Authorize.Net refused ${method} (${first?.code ?? "no code"}: ${first?.text ?? ""}).`,
    { method, messageCode: first?.code ?? null },
  );
}
