import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectKioskError } from "../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../core/error-codes.js";
import { createMemoryLogger } from "../core/logger.js";
import { processorConfigSchema } from "./config.js";
import { connectStripe, readStripeKey } from "./stripe-connection.js";
import { startStripeSimulator } from "./stripe-simulator/stripe-simulator.js";

describe("the kiosk's Stripe key file", () => {
  const dir = mkdtempSync(join(tmpdir(), "spectra-stripe-key-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const keyFile = (name: string, text: string, mode: number): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    chmodSync(path, mode);
    return path;
  };

  it("reads one restricted key from a file only its owner can read", () => {
    expect(readStripeKey(keyFile("ok", "rk_test_abcdefgh12345678\n", 0o600))).toBe(
      "rk_test_abcdefgh12345678",
    );
  });

  it("refuses a file others can read, and never says the key", () => {
    const error = expectKioskError(
      () => readStripeKey(keyFile("open", "rk_test_abcdefgh12345678", 0o644)),
      ErrorCodes.SECRET_FILE_INVALID,
    );
    expect(error.message).toContain("chmod 600");
    expect(error.message).not.toContain("abcdefgh");
  });

  it("refuses a missing file and one that holds no key", () => {
    expectKioskError(() => readStripeKey(join(dir, "absent")), ErrorCodes.SECRET_FILE_INVALID);
    expectKioskError(
      () => readStripeKey(keyFile("junk", "password=hunter2", 0o600)),
      ErrorCodes.SECRET_FILE_INVALID,
    );
  });

  it("connects the configured Stripe processor with the studio's reader", async () => {
    const simulator = await startStripeSimulator();
    try {
      const config = processorConfigSchema.parse({
        kind: "stripe",
        apiKeyFile: keyFile("kiosk", simulator.restrictedKey({ payment_intent: "write" }), 0o600),
        readerId: simulator.readers[0],
        endpoint: { host: simulator.host, port: simulator.port, protocol: "http" },
      });
      const connection = await connectStripe(config, "USD", createMemoryLogger());
      expect(connection?.smartReader?.id).toBe(simulator.readers[0]);
      expect(await connection?.processor.reachable()).toBe(true);
      await connection?.close();
      expect(
        await connectStripe(processorConfigSchema.parse({ kind: "manual" }), "USD", createMemoryLogger()),
      ).toBeNull();
    } finally {
      await simulator.close();
    }
  });

  it("validates the configuration: a reader id is Stripe's, timings are bounded", () => {
    const base = { kind: "stripe", apiKeyFile: "/etc/spectra/stripe.key" };
    expect(processorConfigSchema.parse(base)).toMatchObject({
      readerId: null,
      pollMs: 500,
      collectTimeoutMs: 120_000,
    });
    expect(processorConfigSchema.safeParse({ ...base, readerId: "reader-1" }).success).toBe(false);
    expect(processorConfigSchema.safeParse({ ...base, pollMs: 0 }).success).toBe(false);
    expect(processorConfigSchema.safeParse({ ...base, apiKey: "sk_live_x" }).success).toBe(false);
  });
});
