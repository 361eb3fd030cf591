import type { Access } from "./access.js";
import type { FormBounds } from "./form-bounds.js";

export type { Access } from "./access.js";

export interface Route<Handler> {
  readonly method: "GET" | "POST";
  /** Path with `:name` segments, e.g. "/kiosks/:deviceId". */
  readonly path: string;
  readonly access: Access;
  /** The fields a POST takes; without it, its CSRF token only. */
  readonly form?: FormBounds;
  readonly handler: Handler;
}

export interface Match<Handler> {
  readonly route: Route<Handler>;
  readonly params: Readonly<Record<string, string>>;
}

interface Compiled<Handler> {
  readonly route: Route<Handler>;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** Method and path to a handler; path parameters are one segment each and percent-decoded. */
export class Router<Handler> {
  readonly #routes: Compiled<Handler>[];

  constructor(routes: readonly Route<Handler>[]) {
    this.#routes = routes.map((route) => {
      const names: string[] = [];
      const source = route.path
        .split("/")
        .map((segment) => {
          if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          names.push(segment.slice(1));
          return "([^/]+)";
        })
        .join("/");
      return { route, pattern: new RegExp(`^${source}$`), names };
    });
  }

  /** The matching route; "method-not-allowed" when the path exists for another method; null otherwise. */
  match(method: string, path: string): Match<Handler> | "method-not-allowed" | null {
    let pathKnown = false;
    for (const { route, pattern, names } of this.#routes) {
      const found = pattern.exec(path);
      if (!found) continue;
      pathKnown = true;
      if (route.method !== method && !(route.method === "GET" && method === "HEAD")) continue;
      const params: Record<string, string> = {};
      try {
        names.forEach((name, index) => {
          params[name] = decodeURIComponent(found[index + 1] ?? "");
        });
      } catch {
        return null;
      }
      return { route, params };
    }
    return pathKnown ? "method-not-allowed" : null;
  }
}
