import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OPEN_REDIRECTS } from "../../../test/helpers/open-redirects.js";
import { sameOriginPath } from "./next-path.js";

const DASHBOARD = "http://127.0.0.1:8090";

/** Where a browser goes when the dashboard answers `Location: <path>`. */
const landsOn = (path: string): string => new URL(path, `${DASHBOARD}/sign-in`).origin;

describe("sameOriginPath", () => {
  it("keeps the dashboard's own paths, query and fragment", () => {
    expect(sameOriginPath("/payments?kiosk=kiosk-a&from=2026-03-01")).toBe(
      "/payments?kiosk=kiosk-a&from=2026-03-01",
    );
    expect(sameOriginPath("/kiosks/kiosk-a#configuration")).toBe("/kiosks/kiosk-a#configuration");
    expect(sameOriginPath("%2Fpayments")).toBe("/payments");
    expect(sameOriginPath("/a/../audit")).toBe("/audit");
    expect(sameOriginPath(null)).toBe("/");
    expect(sameOriginPath("")).toBe("/");
    expect(sameOriginPath(`/${"a".repeat(2000)}`)).toBe("/");
  });

  it("never leaves the dashboard: every known open-redirect trick lands on its own pages", () => {
    for (const attack of OPEN_REDIRECTS) {
      const path = sameOriginPath(attack);
      expect(path.startsWith("/") && !path.startsWith("//"), JSON.stringify(attack)).toBe(true);
      expect(landsOn(path), JSON.stringify(attack)).toBe(DASHBOARD);
    }
  });

  it("whatever it is given, a browser following the answer stays on the dashboard (property)", () => {
    const piece = fc.constantFrom(
      "/",
      "\\",
      "%2F",
      "%5C",
      "%09",
      "\t",
      "\n",
      ".",
      "..",
      "evil.example",
      ":",
      "@",
      "%25",
      "?",
      "#",
      " ",
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 8 }).map((parts) => parts.join("")),
        (value) => {
          const path = sameOriginPath(value);
          expect(landsOn(path)).toBe(DASHBOARD);
          expect(path.startsWith("//")).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
