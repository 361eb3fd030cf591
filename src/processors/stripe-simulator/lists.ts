import type { Params } from "./form-body.js";
import { optionalInteger, optionalObject, optionalString } from "./params.js";
import { SimulatedFailure } from "./simulated-failure.js";

/** Stripe's list envelope, newest first, paged by `limit` and `starting_after`. */
export interface ListPage<T> {
  readonly object: "list";
  readonly data: T[];
  readonly has_more: boolean;
  readonly url: string;
}

export interface SearchPage<T> {
  readonly object: "search_result";
  readonly data: T[];
  readonly has_more: boolean;
  readonly next_page: string | null;
  readonly url: string;
}

type Listed = { id: string; created: number };

export function listPage<T extends Listed>(items: Iterable<T>, params: Params, url: string): ListPage<T> {
  const limit = optionalInteger(params, "limit") ?? 10;
  if (limit < 1 || limit > 100)
    throw SimulatedFailure.invalidRequest(
      "Invalid limit: must be between 1 and 100",
      "parameter_invalid_integer",
      "limit",
    );
  const created = optionalObject(params, "created");
  const gte = created ? optionalInteger(created, "gte") : null;
  const lte = created ? optionalInteger(created, "lte") : null;
  // Newest first; items created in the same second keep their reverse order of creation.
  const all = [...items]
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => (gte === null || item.created >= gte) && (lte === null || item.created <= lte))
    .sort((a, b) => b.item.created - a.item.created || b.index - a.index)
    .map(({ item }) => item);
  const after = optionalString(params, "starting_after", 255);
  let start = 0;
  if (after) {
    const position = all.findIndex((item) => item.id === after);
    if (position < 0) throw SimulatedFailure.missing("object", after, "starting_after");
    start = position + 1;
  }
  const data = all.slice(start, start + limit);
  return { object: "list", data, has_more: start + limit < all.length, url };
}

export function searchPage<T>(items: T[], params: Params, url: string): SearchPage<T> {
  const limit = optionalInteger(params, "limit") ?? 10;
  if (limit < 1 || limit > 100)
    throw SimulatedFailure.invalidRequest(
      "Invalid limit: must be between 1 and 100",
      "parameter_invalid_integer",
      "limit",
    );
  return {
    object: "search_result",
    data: items.slice(0, limit),
    has_more: items.length > limit,
    next_page: null,
    url,
  };
}
