import { SimulatedFailure } from "./simulated-failure.js";

/** A request's parameters as Stripe reads them: strings, nested by brackets into objects and lists. */
export type Params = { [key: string]: ParamValue };
export type ParamValue = string | Params | ParamValue[];

const MAX_PAIRS = 500;
const MAX_DEPTH = 5;
const MAX_KEY = 200;

/**
 * Parses a form body or query string the way Stripe's API reads what its SDKs send:
 * `metadata[record_id]=r1&payment_method_types[0]=card_present&expand[]=latest_charge`. Bounded in
 * pairs, nesting and key length; anything else is Stripe's `invalid_request_error`. Keys that would
 * reach an object's prototype are refused.
 */
export function parseParams(text: string): Params {
  const root: Params = Object.create(null) as Params;
  if (text === "") return root;
  const pairs = text.split("&");
  if (pairs.length > MAX_PAIRS) throw invalid(`Too many parameters (at most ${MAX_PAIRS}).`);
  for (const pair of pairs) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const rawKey = equals < 0 ? pair : pair.slice(0, equals);
    const rawValue = equals < 0 ? "" : pair.slice(equals + 1);
    const key = decode(rawKey);
    if (key.length > MAX_KEY) throw invalid("A parameter name is too long.");
    const path = keyPath(key);
    setPath(root, path, decode(rawValue), key);
  }
  return root;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw invalid("The request body is not valid form encoding.");
  }
}

/** `a[b][0]` → ["a", "b", "0"]; `a[]` → ["a", ""]. */
function keyPath(key: string): string[] {
  const open = key.indexOf("[");
  if (open < 0) return [key];
  const path = [key.slice(0, open)];
  const rest = key.slice(open);
  const parts = rest.match(/\[([^[\]]*)\]/g);
  if (!parts || parts.join("") !== rest) throw invalid(`Invalid parameter name: ${key}`);
  for (const part of parts) path.push(part.slice(1, -1));
  if (path.length > MAX_DEPTH + 1) throw invalid(`Parameter nested too deeply: ${key}`);
  return path;
}

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

function setPath(root: Params, path: string[], value: string, key: string): void {
  let node: Params | ParamValue[] = root;
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index] as string;
    if (segment === "" && index === 0) throw invalid(`Invalid parameter name: ${key}`);
    if (FORBIDDEN.has(segment)) throw invalid(`Invalid parameter name: ${key}`);
    const last = index === path.length - 1;
    const nextIsList = !last && isListIndex(path[index + 1] as string);
    if (Array.isArray(node)) {
      const position = segment === "" ? node.length : Number(segment);
      if (!isListIndex(segment) || position > node.length)
        throw invalid(`Invalid array index in parameter: ${key}`);
      if (last) {
        node[position] = value;
        return;
      }
      node[position] ??= nextIsList ? [] : (Object.create(null) as Params);
      node = expectContainer(node[position], key);
    } else {
      if (last) {
        if (segment in node) throw invalid(`Parameter given twice: ${key}`);
        node[segment] = value;
        return;
      }
      node[segment] ??= nextIsList ? [] : (Object.create(null) as Params);
      node = expectContainer(node[segment], key);
    }
  }
}

function isListIndex(segment: string): boolean {
  return segment === "" || /^(0|[1-9]\d{0,3})$/.test(segment);
}

function expectContainer(value: ParamValue | undefined, key: string): Params | ParamValue[] {
  if (value === undefined || typeof value === "string") throw invalid(`Invalid parameter: ${key}`);
  return value;
}

function invalid(message: string): SimulatedFailure {
  return SimulatedFailure.invalidRequest(message);
}
