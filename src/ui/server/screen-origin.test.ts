import { describe, expect, it } from "vitest";
import { ScreenOrigin } from "./screen-origin.js";

describe("ScreenOrigin", () => {
  const loopback = new ScreenOrigin("127.0.0.1", 8080);

  it("serves the screen's own page at either loopback name, with the screen's port", () => {
    for (const host of ["127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080"]) {
      expect(loopback.check({ host }), host).toBeNull();
      expect(loopback.check({ host, origin: `http://${host}` }), host).toBeNull();
      expect(loopback.check({ host, origin: `http://${host}`, "sec-fetch-site": "same-origin" })).toBeNull();
    }
    // What cage's Chromium sends when it opens --app=http://127.0.0.1:8080/.
    expect(loopback.check({ host: "127.0.0.1:8080", "sec-fetch-site": "none" })).toBeNull();
  });

  it("refuses a Host that is not the screen's address: rebound names, other ports, none", () => {
    for (const host of [
      "evil.example:8080",
      "127.0.0.1.evil.example:8080",
      "127.0.0.1:8081",
      "127.0.0.1",
      "localhost",
      "10.0.0.5:8080",
      "evil.example@127.0.0.1:8080",
      "",
    ]) {
      expect(loopback.check({ host }), host).toBe("host");
    }
    expect(loopback.check({})).toBe("host");
  });

  it("refuses a page of another origin, even one on the same machine", () => {
    for (const origin of [
      "http://evil.example",
      "http://127.0.0.1:8081",
      "http://localhost:8080", // another origin than the Host it was sent to
      "https://127.0.0.1:8080",
      "null",
      "http://127.0.0.1:8080.evil.example",
    ]) {
      expect(loopback.check({ host: "127.0.0.1:8080", origin }), origin).toBe("origin");
    }
    for (const site of ["cross-site", "same-site"]) {
      expect(loopback.check({ host: "127.0.0.1:8080", "sec-fetch-site": site })).toBe("site");
    }
  });

  it("port 80 is written out or left out, as browsers do", () => {
    const eighty = new ScreenOrigin("127.0.0.1", 80);
    expect(eighty.check({ host: "127.0.0.1", origin: "http://127.0.0.1" })).toBeNull();
    expect(eighty.check({ host: "127.0.0.1:80", origin: "http://127.0.0.1" })).toBeNull();
    expect(eighty.check({ host: "127.0.0.1:8080" })).toBe("host");
  });

  it("listening on every address, any IP literal is the kiosk, never a DNS name", () => {
    const everywhere = new ScreenOrigin("0.0.0.0", 8080);
    expect(everywhere.check({ host: "10.0.0.5:8080", origin: "http://10.0.0.5:8080" })).toBeNull();
    expect(everywhere.check({ host: "[fe80::1]:8080" })).toBeNull();
    expect(everywhere.check({ host: "localhost:8080" })).toBeNull();
    expect(everywhere.check({ host: "kiosk.evil.example:8080" })).toBe("host");
    expect(everywhere.check({ host: "10.0.0.5:9999" })).toBe("host");
    // Another machine's page at its own address is another origin.
    expect(everywhere.check({ host: "10.0.0.5:8080", origin: "http://10.0.0.9:8080" })).toBe("origin");
  });

  it("a configured name answers to that name only", () => {
    const named = new ScreenOrigin("kiosk-7.studio.lan", 8080);
    expect(named.check({ host: "kiosk-7.studio.lan:8080" })).toBeNull();
    expect(named.check({ host: "127.0.0.1:8080" })).toBe("host");
  });
});
