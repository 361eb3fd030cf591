import { isIP } from "node:net";

/**
 * The address a request came from, as sign-in throttling counts it. A proxy's `X-Forwarded-For` is
 * believed only when the connection comes from one of `trustedProxies` (anyone else could write any
 * address there and escape the count); then the client is the rightmost address in it that is not a
 * trusted proxy itself, since every proxy appends the address it saw.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: readonly string[],
): string {
  const peer = normalizeAddress(socketAddress ?? "") ?? "unknown";
  const trusted = new Set(trustedProxies.map((proxy) => normalizeAddress(proxy) ?? proxy));
  if (!trusted.has(peer) || forwardedFor === undefined) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop !== "");
  let client = peer;
  for (const hop of hops.slice(-32).reverse()) {
    const address = normalizeAddress(hop);
    // What a trusted proxy wrote is not an address: count it as the proxy's own.
    if (address === null) return client;
    client = address;
    if (!trusted.has(address)) return address;
  }
  return client;
}

/**
 * The key an address is counted under: IPv4 as it is (an IPv4-mapped IPv6 address too), IPv6 by its
 * /64 — one household or server is usually given a whole /64, so its addresses count as one.
 */
export function addressKey(address: string): string {
  const normal = normalizeAddress(address);
  if (normal === null) return "unknown";
  if (isIP(normal) === 4) return normal;
  return `${expandIpv6(normal).slice(0, 4).join(":")}::/64`;
}

/** An IP address in one spelling (lowercase, no zone, IPv4-mapped as IPv4); null if it is not one. */
export function normalizeAddress(text: string): string | null {
  let address = text.trim();
  if (address.startsWith("[") && address.endsWith("]")) address = address.slice(1, -1);
  address = address.replace(/%.*$/, "").toLowerCase();
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return null;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1] && isIP(mapped[1]) === 4) return mapped[1];
  return expandIpv6(address)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":");
}

/** The eight groups of an IPv6 address, each four hex digits. */
function expandIpv6(address: string): string[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => "0");
  return [...left, ...zeros, ...right].map((group) => group.padStart(4, "0"));
}
