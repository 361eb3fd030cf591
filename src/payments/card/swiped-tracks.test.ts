import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { SwipedTracks } from "./swiped-tracks.js";

describe("SwipedTracks", () => {
  const track2 = "4111111111111111=30121010000000000000";

  it("gives its tracks to the processor and a placeholder to every text form", () => {
    const tracks = new SwipedTracks(null, track2);
    expect(tracks.track2).toBe(track2);
    for (const text of [String(tracks), JSON.stringify({ tracks }), inspect({ tracks }), `${tracks}`]) {
      expect(text).not.toContain("4111111111111111");
      expect(text).toContain("[swiped tracks]");
    }
  });

  it("forgets the tracks when wiped", () => {
    const tracks = new SwipedTracks("B4111111111111111^DOE/JANE^3012", track2);
    tracks.wipe();
    expect([tracks.track1, tracks.track2]).toEqual([null, null]);
  });
});
