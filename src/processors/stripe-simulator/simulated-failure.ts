import type Stripe from "stripe";

/** An error body as Stripe's API sends it (`{ error: … }`), with the fields the SDK reads. */
export interface RawStripeError {
  readonly type:
    | "api_error"
    | "card_error"
    | "idempotency_error"
    | "invalid_request_error"
    | "authentication_error"
    | "rate_limit_error";
  readonly message: string;
  readonly code?: string;
  readonly decline_code?: string;
  readonly param?: string;
  readonly charge?: string;
  readonly payment_intent?: Stripe.PaymentIntent;
  readonly doc_url?: string;
}

/**
 * A refusal the simulator answers with, as Stripe would: HTTP status and Stripe's error body. Thrown
 * by the simulated API's operations; the server turns it into the response.
 */
export class SimulatedFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: RawStripeError,
  ) {
    super(error.message);
    this.name = "SimulatedFailure";
  }

  static invalidRequest(message: string, code?: string, param?: string): SimulatedFailure {
    return new SimulatedFailure(400, {
      type: "invalid_request_error",
      message,
      ...(code ? { code } : {}),
      ...(param ? { param } : {}),
    });
  }

  static missing(kind: string, id: string, param = "id"): SimulatedFailure {
    return new SimulatedFailure(404, {
      type: "invalid_request_error",
      code: "resource_missing",
      param,
      message: `No such ${kind}: '${id}'`,
    });
  }

  static parameterMissing(param: string): SimulatedFailure {
    return new SimulatedFailure(400, {
      type: "invalid_request_error",
      code: "parameter_missing",
      param,
      message: `Missing required param: ${param}.`,
    });
  }

  static unexpectedState(message: string, code = "payment_intent_unexpected_state"): SimulatedFailure {
    return new SimulatedFailure(400, { type: "invalid_request_error", code, message });
  }
}
