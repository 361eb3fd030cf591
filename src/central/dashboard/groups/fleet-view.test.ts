import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../../core/error-codes.js";
import type { KioskSummary } from "../fleet/fleet-queries.js";
import { arrangeKiosks, DEFAULT_VIEW, parseFleetView, viewQuery } from "./fleet-view.js";

function kiosk(
  deviceId: string,
  options: {
    studio?: string | null;
    tags?: string[];
    state?: KioskSummary["state"];
    lastSeenAt?: string;
    depth?: number;
  } = {},
): KioskSummary {
  return {
    deviceId,
    state: options.state ?? "online",
    stateReason: null,
    stateChangedAt: null,
    lastSeenAt: options.lastSeenAt ?? "2026-12-03T05:00:00.000Z",
    telemetry:
      options.depth === undefined
        ? null
        : ({ outbox: { depth: options.depth, oldestUnsyncedAgeSeconds: null } } as KioskSummary["telemetry"]),
    telemetryAt: null,
    reportedConfig: null,
    desiredVersion: null,
    placement: { studio: options.studio ?? null, tags: options.tags ?? [] },
  };
}

const FLEET = [
  kiosk("kiosk-c", { studio: "Lakeside", tags: ["mall"], state: "offline", depth: 4 }),
  kiosk("kiosk-a", {
    studio: "Harbor",
    tags: ["front-desk", "mall"],
    lastSeenAt: "2026-12-03T05:10:00.000Z",
    depth: 0,
  }),
  kiosk("kiosk-b", { studio: "Lakeside", tags: [], state: "unknown", depth: 9 }),
  kiosk("kiosk-d", { studio: null, tags: ["front-desk"] }),
];

const ids = (view: Parameters<typeof arrangeKiosks>[1]) =>
  arrangeKiosks(FLEET, view).map((group) => [group.name, group.kiosks.map((k) => k.deviceId)]);

describe("the overview's list: search, sort, group, from the query", () => {
  it("reads a bookmarkable view, with defaults, and writes it back the same", () => {
    const view = parseFleetView(new URLSearchParams("q=%20lake%20&sort=queue&group=tag"));
    expect(view).toEqual({ q: "lake", sort: "queue", descending: true, groupBy: "tag" });
    expect(viewQuery(view)).toBe("?q=lake&sort=queue&group=tag");
    expect(parseFleetView(new URLSearchParams(""))).toEqual(DEFAULT_VIEW);
    expect(viewQuery(DEFAULT_VIEW, { sort: "studio" })).toBe("?sort=studio");
    expect(viewQuery(DEFAULT_VIEW, { sort: "studio", descending: true })).toBe("?sort=studio&dir=desc");
  });

  it("refuses what it does not know with a coded error", () => {
    for (const query of ["sort=price", "group=city", "dir=up", `q=${"x".repeat(81)}`]) {
      expect(() => parseFleetView(new URLSearchParams(query))).toThrowError(
        expect.objectContaining({ code: ErrorCodes.DASHBOARD_FILTER_INVALID }),
      );
    }
  });

  it("searches id, studio and tags, every word", () => {
    expect(ids({ ...DEFAULT_VIEW, q: "lakeside" })).toEqual([[null, ["kiosk-b", "kiosk-c"]]]);
    expect(ids({ ...DEFAULT_VIEW, q: "MALL harbor" })).toEqual([[null, ["kiosk-a"]]]);
    expect(ids({ ...DEFAULT_VIEW, q: "kiosk-d" })).toEqual([[null, ["kiosk-d"]]]);
    expect(ids({ ...DEFAULT_VIEW, q: "nowhere" })).toEqual([[null, []]]);
  });

  it("sorts by studio (none last), state (offline first), queue and last seen", () => {
    expect(ids({ ...DEFAULT_VIEW, sort: "studio" })).toEqual([
      [null, ["kiosk-a", "kiosk-b", "kiosk-c", "kiosk-d"]],
    ]);
    expect(ids({ ...DEFAULT_VIEW, sort: "studio", descending: true })).toEqual([
      [null, ["kiosk-b", "kiosk-c", "kiosk-a", "kiosk-d"]],
    ]);
    expect(ids({ ...DEFAULT_VIEW, descending: true })).toEqual([
      [null, ["kiosk-d", "kiosk-c", "kiosk-b", "kiosk-a"]],
    ]);
    expect(ids({ ...DEFAULT_VIEW, sort: "state" })).toEqual([
      [null, ["kiosk-c", "kiosk-b", "kiosk-a", "kiosk-d"]],
    ]);
    expect(ids({ ...DEFAULT_VIEW, sort: "queue", descending: true })).toEqual([
      [null, ["kiosk-b", "kiosk-c", "kiosk-a", "kiosk-d"]],
    ]);
    expect(ids({ ...DEFAULT_VIEW, sort: "last-seen", descending: true })[0]?.[1]?.[0]).toBe("kiosk-a");
  });

  it("groups by studio or tag, a kiosk in each of its tags, the ungrouped last", () => {
    expect(ids({ ...DEFAULT_VIEW, groupBy: "studio" })).toEqual([
      ["Harbor", ["kiosk-a"]],
      ["Lakeside", ["kiosk-b", "kiosk-c"]],
      [null, ["kiosk-d"]],
    ]);
    expect(ids({ ...DEFAULT_VIEW, groupBy: "tag" })).toEqual([
      ["front-desk", ["kiosk-a", "kiosk-d"]],
      ["mall", ["kiosk-a", "kiosk-c"]],
      [null, ["kiosk-b"]],
    ]);
  });
});
