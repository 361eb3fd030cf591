import type { Params, ParamValue } from "./form-body.js";
import { SimulatedFailure } from "./simulated-failure.js";

/** Reading a request's parameters with Stripe's own refusals for a missing or malformed one. */

export function optionalString(params: Params, name: string, max = 5000): string | null {
  const value = params[name];
  if (value === undefined || value === "") return null;
  if (typeof value !== "string")
    throw SimulatedFailure.invalidRequest(`Invalid string: ${name}`, "parameter_invalid_string", name);
  if (value.length > max)
    throw SimulatedFailure.invalidRequest(
      `Invalid string: ${name} must be at most ${max} characters`,
      "parameter_invalid_string",
      name,
    );
  return value;
}

export function requiredString(params: Params, name: string, max = 5000): string {
  const value = optionalString(params, name, max);
  if (value === null) throw SimulatedFailure.parameterMissing(name);
  return value;
}

export function optionalInteger(params: Params, name: string): number | null {
  const value = optionalString(params, name, 20);
  if (value === null) return null;
  if (!/^-?\d{1,15}$/.test(value))
    throw SimulatedFailure.invalidRequest(`Invalid integer: ${value}`, "parameter_invalid_integer", name);
  return Number(value);
}

export function requiredInteger(params: Params, name: string): number {
  const value = optionalInteger(params, name);
  if (value === null) throw SimulatedFailure.parameterMissing(name);
  return value;
}

export function optionalBoolean(params: Params, name: string): boolean | null {
  const value = optionalString(params, name, 5);
  if (value === null) return null;
  if (value !== "true" && value !== "false")
    throw SimulatedFailure.invalidRequest(`Invalid boolean: ${value}`, "parameter_invalid_boolean", name);
  return value === "true";
}

export function optionalObject(params: Params, name: string): Params | null {
  const value = params[name];
  if (value === undefined || value === "") return null;
  if (typeof value === "string" || Array.isArray(value))
    throw SimulatedFailure.invalidRequest(`Invalid object: ${name}`, "parameter_invalid_object", name);
  return value;
}

export function stringList(params: Params, name: string): string[] | null {
  const value: ParamValue | undefined = params[name];
  if (value === undefined || value === "") return null;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
    throw SimulatedFailure.invalidRequest(`Invalid array: ${name}`, "parameter_invalid_array", name);
  return value as string[];
}

/** Stripe's limits on metadata: 50 keys, keys up to 40 characters, values up to 500. */
export function metadataParam(params: Params, base: Record<string, string> = {}): Record<string, string> {
  const given = optionalObject(params, "metadata");
  const metadata: Record<string, string> = { ...base };
  if (!given) return metadata;
  for (const [key, value] of Object.entries(given)) {
    if (typeof value !== "string")
      throw SimulatedFailure.invalidRequest(`Invalid metadata value for ${key}`, undefined, "metadata");
    if (key.length > 40)
      throw SimulatedFailure.invalidRequest(
        `Metadata keys can have up to 40 characters: ${key}`,
        undefined,
        "metadata",
      );
    if (value.length > 500)
      throw SimulatedFailure.invalidRequest(
        `Metadata values can have up to 500 characters (${key})`,
        undefined,
        "metadata",
      );
    // An empty value unsets the key, as Stripe does.
    if (value === "") delete metadata[key];
    else metadata[key] = value;
  }
  if (Object.keys(metadata).length > 50)
    throw SimulatedFailure.invalidRequest("Metadata can have up to 50 keys.", undefined, "metadata");
  return metadata;
}

/** USD-style amounts: at least 50 cents, at most 99,999,999 minor units, as Stripe checks them. */
export function amountParam(params: Params, name = "amount"): number {
  const amount = requiredInteger(params, name);
  if (amount < 50)
    throw SimulatedFailure.invalidRequest("Amount must be at least $0.50 usd", "amount_too_small", name);
  if (amount > 99_999_999)
    throw SimulatedFailure.invalidRequest(
      "Amount must be no more than $999,999.99",
      "amount_too_large",
      name,
    );
  return amount;
}

export function currencyParam(params: Params): string {
  const currency = requiredString(params, "currency", 3).toLowerCase();
  if (!/^[a-z]{3}$/.test(currency))
    throw SimulatedFailure.invalidRequest(`Invalid currency: ${currency}`, "parameter_invalid", "currency");
  return currency;
}
