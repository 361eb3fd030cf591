import { describe, expect, it } from "vitest";
import { expectKioskError, expectKioskErrorAsync } from "../../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { newToken, sameOrigin, tokensMatch } from "./csrf.js";
import { checkPasswordStrength, hashPassword, verifyAgainstDecoy, verifyPassword } from "./password.js";
import { sessionStatus, tokenHash } from "./sessions.js";
import { checkUserName } from "./users.js";

describe("dashboard passwords", () => {
  it("hash with scrypt and a fresh salt, verify only the same password", async () => {
    const password = "correct horse battery";
    const first = await hashPassword(password);
    const second = await hashPassword(password);
    expect(first).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(first).not.toContain(password);
    expect(first).not.toBe(second);
    expect(await verifyPassword(password, first)).toBe(true);
    expect(await verifyPassword(password, second)).toBe(true);
    expect(await verifyPassword("correct horse battery!", first)).toBe(false);
    expect(await verifyPassword("", first)).toBe(false);
    expect(await verifyAgainstDecoy(password)).toBe(false);
  });

  it("refuse short passwords, bad user names and a stored hash in another format", async () => {
    expectKioskError(() => checkPasswordStrength("short"), ErrorCodes.DASHBOARD_PASSWORD_WEAK);
    await expectKioskErrorAsync(() => hashPassword("elevenchars"), ErrorCodes.DASHBOARD_PASSWORD_WEAK);
    await expectKioskErrorAsync(
      () => verifyPassword("whatever-password", "md5$abc"),
      ErrorCodes.DASHBOARD_PASSWORD_HASH_INVALID,
    );
    expectKioskError(() => checkUserName("Robert'); DROP TABLE"), ErrorCodes.DASHBOARD_USER_INVALID);
    expectKioskError(() => checkUserName("x".repeat(65)), ErrorCodes.DASHBOARD_USER_INVALID);
    expect(() => checkUserName("ops@studio.example")).not.toThrow();
  });
});

describe("CSRF tokens", () => {
  it("match only the same non-empty token", () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokensMatch(token, token)).toBe(true);
    expect(tokensMatch(token, newToken())).toBe(false);
    expect(tokensMatch(token, token.slice(1))).toBe(false);
    expect(tokensMatch(token, null)).toBe(false);
    expect(tokensMatch("", "")).toBe(false);
    expect(tokensMatch(null, token)).toBe(false);
  });

  it("accept a request from this host or with no Origin, refuse any other origin", () => {
    expect(sameOrigin(undefined, "127.0.0.1:8090")).toBe(true);
    expect(sameOrigin("http://127.0.0.1:8090", "127.0.0.1:8090")).toBe(true);
    expect(sameOrigin("http://evil.example", "127.0.0.1:8090")).toBe(false);
    expect(sameOrigin("null", "127.0.0.1:8090")).toBe(false);
    expect(sameOrigin("http://127.0.0.1:8090", undefined)).toBe(false);
  });
});

describe("session expiry", () => {
  const policy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 };
  const at = (iso: string) => new Date(iso);

  it("ends a session left idle, and any session after the absolute lifetime", () => {
    const created = at("2026-03-01T08:00:00Z");
    const fresh = { createdAt: created, lastSeenAt: created };
    expect(sessionStatus(fresh, at("2026-03-01T08:29:59Z"), policy)).toBe("active");
    expect(sessionStatus(fresh, at("2026-03-01T08:30:00Z"), policy)).toBe("idle-expired");
    const busy = { createdAt: created, lastSeenAt: at("2026-03-01T19:59:00Z") };
    expect(sessionStatus(busy, at("2026-03-01T19:59:30Z"), policy)).toBe("active");
    expect(sessionStatus(busy, at("2026-03-01T20:00:00Z"), policy)).toBe("expired");
  });

  it("stores sessions by a hash that is not the token", () => {
    const token = newToken();
    expect(tokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash(token)).not.toContain(token);
    expect(tokenHash(token)).toBe(tokenHash(token));
  });
});
