import { SimulatedFailure } from "./simulated-failure.js";

/** What a restricted key may touch, named as Stripe names its permissions (`rak_refund_write`). */
export type Resource =
  | "payment_intent"
  | "charge"
  | "refund"
  | "customer"
  | "payment_method"
  | "setup_intent"
  | "terminal_reader"
  | "terminal_location"
  | "checkout_session"
  | "event"
  | "webhook";

export type Access = "read" | "write";

/** A permission an endpoint needs; a write permission includes reading. */
export interface Permission {
  readonly resource: Resource;
  readonly access: Access;
}

export type KeyGrant = "all" | Readonly<Partial<Record<Resource, Access>>>;

export const SIMULATED_ACCOUNT = "acct_1SpectraSimulated";

/** Stripe shows a key in messages by its prefix and last characters only. */
export function maskKey(key: string): string {
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? "";
  const tail = key.slice(-6);
  return `${prefix}${"*".repeat(Math.max(key.length - prefix.length - tail.length, 0))}${tail}`;
}

/**
 * The account's API keys: secret keys may do everything; a restricted key only what it was granted,
 * and anything else is refused exactly as Stripe refuses it — 403 with the permission it lacks.
 */
export class ApiKeys {
  readonly #grants = new Map<string, KeyGrant>();

  add(key: string, grant: KeyGrant): void {
    this.#grants.set(key, grant);
  }

  /** The key from `Authorization: Bearer …` (or Basic with the key as user), checked for this endpoint. */
  authorize(header: string | undefined, needs: Permission): string {
    const key = keyOf(header);
    if (!key)
      throw new SimulatedFailure(401, {
        type: "invalid_request_error",
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      });
    const grant = this.#grants.get(key);
    if (!grant)
      throw new SimulatedFailure(401, {
        type: "invalid_request_error",
        message: `Invalid API Key provided: ${maskKey(key)}`,
      });
    if (grant === "all") return key;
    const granted = grant[needs.resource];
    if (granted === "write" || (granted === "read" && needs.access === "read")) return key;
    throw new SimulatedFailure(403, {
      type: "invalid_request_error",
      message: `The provided key '${maskKey(key)}' does not have the required permissions for this endpoint on account '${SIMULATED_ACCOUNT}'. Having the 'rak_${needs.resource}_${needs.access}' permission would allow this request to continue.`,
    });
  }
}

function keyOf(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S{1,256})$/i.exec(header);
  if (bearer) return bearer[1] as string;
  const basic = /^Basic\s+([A-Za-z0-9+/=]{1,400})$/i.exec(header);
  if (basic)
    return (
      Buffer.from(basic[1] as string, "base64")
        .toString("utf8")
        .split(":")[0] || null
    );
  return null;
}
