import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";

/** Why a request is not from the kiosk's own screen. */
export type OriginRefusal =
  /** The Host is not the screen's address: DNS rebinding, or a name the kiosk does not serve. */
  | "host"
  /** The page that sent it is another origin: a web page elsewhere on the machine or the network. */
  | "origin"
  /** The browser says it came from another site (Sec-Fetch-Site). */
  | "site";

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];
const WILDCARD_HOSTS = new Set(["", "0.0.0.0", "::", "[::]"]);
/** What a browser says of a request its own page made, or one a person typed (cage's --app URL). */
const OWN_SITE = new Set(["same-origin", "none"]);

const bracketed = (name: string): string => (isIP(name) === 6 ? `[${name}]` : name);
const isLoopback = (name: string): boolean =>
  name === "localhost" || name === "[::1]" || (isIP(name) === 4 && name.startsWith("127."));

/**
 * The screen is the kiosk's alone: a request is served only when its Host is the address the screen
 * listens on (so a DNS-rebound name is refused) and, when a browser says where the request comes
 * from (Origin, Sec-Fetch-Site), that is the screen's own page. A loopback address also answers to
 * the other loopback names (Chromium may be pointed at localhost or 127.0.0.1), always with the
 * screen's port: another port on the same machine is another origin. Listening on every address
 * accepts any IP literal as Host, never a DNS name, since a rebound name is what the Host check is
 * for. Clients that are not browsers send no Origin and are judged by Host alone.
 */
export class ScreenOrigin {
  readonly #authorities = new Set<string>();
  readonly #anyAddress: boolean;

  constructor(
    host: string,
    private readonly port: number,
  ) {
    const name = bracketed(host.toLowerCase());
    this.#anyAddress = WILDCARD_HOSTS.has(name);
    const names = new Set([...(this.#anyAddress || isLoopback(name) ? LOOPBACK_NAMES : []), name]);
    for (const each of names) if (!WILDCARD_HOSTS.has(each)) this.#authorities.add(`${each}:${port}`);
  }

  /** Null when the request may be served; otherwise why not. */
  check(headers: IncomingHttpHeaders): OriginRefusal | null {
    const host = headers.host;
    if (!host || !this.#allowed(this.#canonical(host))) return "host";
    const site = headers["sec-fetch-site"];
    if (site !== undefined && !OWN_SITE.has(site)) return "site";
    const origin = headers.origin?.toLowerCase();
    if (origin === undefined) return null;
    const sameAsHost =
      origin.startsWith("http://") &&
      this.#canonical(origin.slice("http://".length)) === this.#canonical(host);
    return sameAsHost ? null : "origin";
  }

  /** Lower case, with the port always written out (a browser leaves out :80). */
  #canonical(authority: string): string {
    const lower = authority.toLowerCase();
    return /:\d+$/.test(lower) && !lower.endsWith("]") ? lower : `${lower}:80`;
  }

  #allowed(authority: string): boolean {
    if (this.#authorities.has(authority)) return true;
    if (!this.#anyAddress || !authority.endsWith(`:${this.port}`)) return false;
    const name = authority.slice(0, -`:${this.port}`.length);
    return isIP(name.replace(/^\[(.*)\]$/, "$1")) !== 0;
  }
}
