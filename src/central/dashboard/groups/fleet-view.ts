import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";
import type { KioskSummary } from "../fleet/fleet-queries.js";

/**
 * How the overview lists kiosks, from its GET query (so a view can be bookmarked): a search over
 * device id, studio (assigned or reported) and tags; a sort; a grouping by studio or tag.
 */
export const FLEET_SORTS = ["id", "studio", "last-seen", "state", "queue"] as const;
export const FLEET_GROUPINGS = ["none", "studio", "tag"] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];
export type FleetGrouping = (typeof FLEET_GROUPINGS)[number];

export interface FleetView {
  /** Words that must all appear (case-insensitive) in a kiosk's id, studio or tags. */
  readonly q: string;
  readonly sort: FleetSort;
  readonly descending: boolean;
  readonly groupBy: FleetGrouping;
}

export const SEARCH_MAX_LENGTH = 80;

/** Newest contact and longest queue come first unless asked otherwise; names run A to Z. */
const DESCENDING_FIRST: ReadonlySet<FleetSort> = new Set(["last-seen", "queue"]);

/** Which way a sort runs when first chosen. */
export function runsDescendingFirst(sort: FleetSort): boolean {
  return DESCENDING_FIRST.has(sort);
}

export const DEFAULT_VIEW: FleetView = { q: "", sort: "id", descending: false, groupBy: "none" };

const oneOf = <T extends string>(
  values: readonly T[],
  value: string | null,
  fallback: T,
  what: string,
): T => {
  if (value === null || value === "") return fallback;
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new KioskError(
    ErrorCodes.DASHBOARD_FILTER_INVALID,
    `The list cannot ${what} "${value.slice(0, 40)}": choose ${values.join(", ")}.`,
  );
};

/** Reads `q`, `sort`, `dir` and `group`; a value the list does not know is a coded error. */
export function parseFleetView(params: URLSearchParams): FleetView {
  const q = (params.get("q") ?? "").trim().replace(/\s+/g, " ");
  if (q.length > SEARCH_MAX_LENGTH) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_FILTER_INVALID,
      `A search is at most ${SEARCH_MAX_LENGTH} characters.`,
    );
  }
  const sort = oneOf(FLEET_SORTS, params.get("sort"), "id", "sort by");
  const dir = oneOf(
    ["asc", "desc"] as const,
    params.get("dir"),
    DESCENDING_FIRST.has(sort) ? "desc" : "asc",
    "order",
  );
  const groupBy = oneOf(FLEET_GROUPINGS, params.get("group"), "none", "group by");
  return { q, sort, descending: dir === "desc", groupBy };
}

/** The view as a query string, with defaults left out; `change` overrides some of it. */
export function viewQuery(view: FleetView, change: Partial<FleetView> = {}): string {
  const next = { ...view, ...change };
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  if (next.sort !== "id") params.set("sort", next.sort);
  if (next.descending !== DESCENDING_FIRST.has(next.sort))
    params.set("dir", next.descending ? "desc" : "asc");
  if (next.groupBy !== "none") params.set("group", next.groupBy);
  const text = params.toString();
  return text ? `?${text}` : "";
}

function searchText(kiosk: KioskSummary): string {
  return [
    kiosk.deviceId,
    kiosk.placement.studio ?? "",
    kiosk.reportedConfig?.studio?.name ?? "",
    ...kiosk.placement.tags,
  ]
    .join("\n")
    .toLowerCase();
}

export function matchesSearch(kiosk: KioskSummary, q: string): boolean {
  if (q === "") return true;
  const text = searchText(kiosk);
  return q
    .toLowerCase()
    .split(" ")
    .every((word) => text.includes(word));
}

/** Offline first, then never reported, then online: what needs looking at comes first. */
const STATE_RANK: Record<KioskSummary["state"], number> = { offline: 0, unknown: 1, online: 2 };

const byName = new Intl.Collator("en", { sensitivity: "base", numeric: true });

function compare(a: KioskSummary, b: KioskSummary, sort: FleetSort): number {
  switch (sort) {
    case "id":
      return byName.compare(a.deviceId, b.deviceId);
    case "studio":
      // Kiosks without a studio go last whichever way the list runs: handled by the caller.
      return byName.compare(a.placement.studio ?? "", b.placement.studio ?? "");
    case "last-seen":
      return Date.parse(a.lastSeenAt ?? "1970-01-01") - Date.parse(b.lastSeenAt ?? "1970-01-01");
    case "state":
      return STATE_RANK[a.state] - STATE_RANK[b.state];
    case "queue":
      return (a.telemetry?.outbox.depth ?? -1) - (b.telemetry?.outbox.depth ?? -1);
  }
}

export function sortKiosks(kiosks: readonly KioskSummary[], view: FleetView): KioskSummary[] {
  const sign = view.descending ? -1 : 1;
  return [...kiosks].sort((a, b) => {
    if (view.sort === "studio" && (a.placement.studio === null) !== (b.placement.studio === null)) {
      return a.placement.studio === null ? 1 : -1;
    }
    const first = sign * compare(a, b, view.sort);
    // Ties run by id, A to Z, whichever way the list runs.
    return first !== 0 ? first : byName.compare(a.deviceId, b.deviceId);
  });
}

export interface KioskListGroup {
  /** The studio or tag; null for the kiosks without one (and for the one group of an ungrouped list). */
  readonly name: string | null;
  readonly kiosks: readonly KioskSummary[];
}

/**
 * Groups sorted kiosks by studio or by tag (a kiosk with two tags is in both groups), groups A to Z
 * and the kiosks without a studio or tag last; each group keeps the list's order.
 */
export function groupKiosks(kiosks: readonly KioskSummary[], groupBy: FleetGrouping): KioskListGroup[] {
  if (groupBy === "none") return [{ name: null, kiosks }];
  const groups = new Map<string, KioskSummary[]>();
  const none: KioskSummary[] = [];
  for (const kiosk of kiosks) {
    const names =
      groupBy === "studio" ? (kiosk.placement.studio ? [kiosk.placement.studio] : []) : kiosk.placement.tags;
    if (names.length === 0) none.push(kiosk);
    for (const name of names) groups.set(name, [...(groups.get(name) ?? []), kiosk]);
  }
  const named = [...groups.entries()]
    .sort(([a], [b]) => byName.compare(a, b))
    .map(([name, members]) => ({ name, kiosks: members }));
  return none.length > 0 ? [...named, { name: null, kiosks: none }] : named;
}

/** The overview's list: searched, sorted, grouped. */
export function arrangeKiosks(kiosks: readonly KioskSummary[], view: FleetView): KioskListGroup[] {
  return groupKiosks(
    sortKiosks(
      kiosks.filter((kiosk) => matchesSearch(kiosk, view.q)),
      view,
    ),
    view.groupBy,
  );
}
