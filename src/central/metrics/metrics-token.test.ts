import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorCodes } from "../../core/error-codes.js";
import { bearerMatches, readMetricsToken } from "./metrics-token.js";

const TOKEN = "s3cr3t-scrape-token-0123456789abcdef";

describe("the metrics token", () => {
  const dir = mkdtempSync(join(tmpdir(), "spectra-metrics-token-"));
  afterEach(() => rmSync(join(dir, "token"), { force: true }));

  it("matches only `Bearer <token>` exactly", () => {
    expect(bearerMatches(TOKEN, `Bearer ${TOKEN}`)).toBe(true);
    expect(bearerMatches(TOKEN, undefined)).toBe(false);
    expect(bearerMatches(TOKEN, "")).toBe(false);
    expect(bearerMatches(TOKEN, TOKEN)).toBe(false);
    expect(bearerMatches(TOKEN, `Basic ${TOKEN}`)).toBe(false);
    expect(bearerMatches(TOKEN, `Bearer ${TOKEN}x`)).toBe(false);
    expect(bearerMatches(TOKEN, `Bearer ${TOKEN.slice(0, -1)}`)).toBe(false);
    expect(bearerMatches(TOKEN, `Bearer  ${TOKEN}`)).toBe(false);
    expect(bearerMatches(TOKEN, `Bearer ${"x".repeat(5000)}`)).toBe(false);
  });

  it("is read from an owner-only file of the right shape", () => {
    const file = join(dir, "token");
    writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
    expect(readMetricsToken(file)).toBe(TOKEN);
    chmodSync(file, 0o644);
    expect(() => readMetricsToken(file)).toThrow(
      expect.objectContaining({ code: ErrorCodes.SECRET_FILE_INVALID }),
    );
    writeFileSync(file, "short\n", { mode: 0o600 });
    chmodSync(file, 0o600);
    expect(() => readMetricsToken(file)).toThrow(
      expect.objectContaining({ code: ErrorCodes.SECRET_FILE_INVALID }),
    );
  });
});
