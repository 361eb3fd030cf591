import { describe, expect, it } from "vitest";
import { Router } from "./router.js";

describe("router", () => {
  const router = new Router<string>([
    { method: "GET", path: "/", access: "user", handler: "overview" },
    { method: "GET", path: "/kiosks/:deviceId", access: "user", handler: "kiosk" },
    { method: "POST", path: "/kiosks/:deviceId/commands", access: "user", handler: "command" },
    { method: "GET", path: "/payments.csv", access: "user", handler: "csv" },
  ]);

  it("matches paths with parameters, decoded", () => {
    const match = router.match("GET", "/kiosks/kiosk-a%2Db");
    expect(match !== null && match !== "method-not-allowed" && match.route.handler).toBe("kiosk");
    expect(match !== null && match !== "method-not-allowed" && match.params).toEqual({
      deviceId: "kiosk-a-b",
    });
    const post = router.match("POST", "/kiosks/k1/commands");
    expect(post !== null && post !== "method-not-allowed" && post.route.handler).toBe("command");
  });

  it("treats dots literally, tells a wrong method from an unknown path, and refuses bad escapes", () => {
    expect(router.match("GET", "/paymentsxcsv")).toBeNull();
    expect(router.match("POST", "/kiosks/k1")).toBe("method-not-allowed");
    expect(router.match("GET", "/kiosks/k1/extra")).toBeNull();
    expect(router.match("GET", "/kiosks/%E0%A4%A")).toBeNull();
    const head = router.match("HEAD", "/");
    expect(head !== null && head !== "method-not-allowed" && head.route.handler).toBe("overview");
  });
});
