import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectKioskError } from "../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../core/error-codes.js";
import { AMOUNT_CEILING_MINOR } from "../payments/record/bounds.js";
import { DEFAULT_CONFIG_PATH, loadConfig, parseConfig } from "./load.js";

const defaults = (): Record<string, unknown> => JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8"));

function writeConfig(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), "spectra-config-")), "kiosk.json");
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("configuration", () => {
  it("accepts config/default.json, filling in defaults", () => {
    const { config, path } = loadConfig({ env: {} });
    expect(path).toBe(DEFAULT_CONFIG_PATH);
    expect(config.studio.currency).toBe("USD");
    expect(config.ui.signIn.maxFailedPins).toBe(5);
    expect(config.paymentMethods.find((method) => method.id === "card")?.cardEntryModes).toEqual([
      "swiped",
      "keyed",
      "manual",
    ]);
  });

  it("lists every problem at once as path: message, unknown keys included", () => {
    const raw = defaults();
    raw.surprise = 1;
    (raw.studio as Record<string, unknown>).timeZone = "Mars/Olympus";
    (raw.studio as Record<string, unknown>).colour = "red";
    (raw.limits as Record<string, unknown>).maxAmountMinor = 12.5;
    (raw.staff as Record<string, unknown>[])[0] = { id: "x", name: "X", role: "owner", pinHash: "1234" };
    const error = expectKioskError(() => parseConfig(raw), ErrorCodes.CONFIG_INVALID);
    const lines = error.detail
      .split("\n")
      .slice(1)
      .map((line) => line.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        "surprise: unknown key",
        "studio.colour: unknown key",
        "studio.timeZone: an IANA time zone such as America/Denver",
        expect.stringMatching(/^limits\.maxAmountMinor: /),
        expect.stringMatching(/^staff\.0\.role: /),
        "staff.0.pinHash: a hash from `spectra-kiosk staff hash-pin`, not a PIN",
      ]),
    );
    expect(lines).toHaveLength(6);
  });

  it("refuses the retired home-made gateway's kinds, naming the processors to use instead", () => {
    for (const kind of ["gateway", "simulator"]) {
      const raw = defaults();
      raw.processor = { kind, url: "http://127.0.0.1:4242", apiKey: "sk_test_simulator" };
      const error = expectKioskError(() => parseConfig(raw), ErrorCodes.CONFIG_INVALID);
      expect(error.detail).toContain(
        `processor.kind: "${kind}" (the home-made card gateway) is retired: use "manual", "authorize-net", "authorize-net-simulator" (the laptop setup) or "stripe"`,
      );
    }
    const unknown = defaults();
    unknown.processor = { kind: "paypal" };
    expect(expectKioskError(() => parseConfig(unknown), ErrorCodes.CONFIG_INVALID).detail).toContain(
      'processor.kind: one of "manual", "authorize-net", "authorize-net-simulator" (the laptop setup) or "stripe"',
    );
  });

  it("checks across fields: unique ids, prefixes only on card methods", () => {
    const raw = defaults();
    const methods = raw.paymentMethods as Record<string, unknown>[];
    methods.push({
      id: "cash",
      name: "More cash",
      type: "cash",
      cardPrefixes: [{ prefix: "4", cardType: "Visa" }],
    });
    const error = expectKioskError(() => parseConfig(raw), ErrorCodes.CONFIG_INVALID);
    expect(error.detail).toContain('paymentMethods: method id "cash" is used twice');
    expect(error.detail).toContain("paymentMethods.5.cardPrefixes: only card methods have card prefixes");
  });

  it("bounds money limits by the records' ceiling, the kiosk's and central's alike", () => {
    const { config } = loadConfig({ env: {} });
    expect(config.central.ingest.maxAmountMinor).toBe(AMOUNT_CEILING_MINOR);
    const raw = defaults();
    (raw.limits as Record<string, unknown>).maxAmountMinor = AMOUNT_CEILING_MINOR + 1;
    raw.central = { ingest: { maxAmountMinor: 2 ** 53 - 1 } };
    const error = expectKioskError(() => parseConfig(raw), ErrorCodes.CONFIG_INVALID);
    expect(error.detail).toMatch(/limits\.maxAmountMinor: Too big/);
    expect(error.detail).toMatch(/central\.ingest\.maxAmountMinor: Too big/);
    raw.limits = { maxAmountMinor: AMOUNT_CEILING_MINOR };
    raw.central = { ingest: { maxAmountMinor: 50_000_000 } };
    expect(parseConfig(raw).central.ingest.maxAmountMinor).toBe(50_000_000);
  });

  it("refuses emailed alerts without central's SMTP relay to send them through", () => {
    const raw = defaults();
    raw.central = { alerts: { email: { to: ["ops@studio.example"] } } };
    const error = expectKioskError(() => parseConfig(raw), ErrorCodes.CONFIG_INVALID);
    expect(error.detail).toMatch(/central\.alerts\.email: needs central\.mail/);
    raw.central = {
      alerts: { email: { to: ["ops@studio.example"] } },
      mail: { host: "smtp.studio.example", from: { address: "fleet@studio.example" } },
    };
    expect(parseConfig(raw).central.alerts.email?.to).toEqual(["ops@studio.example"]);
  });

  it("takes --config over SPECTRA_KIOSK_CONFIG over the default", () => {
    const a = writeConfig({ ...defaults(), deviceId: "kiosk-from-flag" });
    const b = writeConfig({ ...defaults(), deviceId: "kiosk-from-env" });
    expect(loadConfig({ file: a, env: { SPECTRA_KIOSK_CONFIG: b } }).config.deviceId).toBe("kiosk-from-flag");
    expect(loadConfig({ env: { SPECTRA_KIOSK_CONFIG: b } }).config.deviceId).toBe("kiosk-from-env");
  });

  it("lets documented environment variables override single values, validated like the file", () => {
    const { config } = loadConfig({ env: { SPECTRA_DEVICE_ID: "kiosk-env-7", SPECTRA_UI_PORT: "9090" } });
    expect(config.deviceId).toBe("kiosk-env-7");
    expect(config.ui.port).toBe(9090);
    const error = expectKioskError(
      () => loadConfig({ env: { SPECTRA_UI_PORT: "eighty", SPECTRA_DEVICE_ID: "BAD ID" } }),
      ErrorCodes.CONFIG_INVALID,
    );
    expect(error.detail).toContain("SPECTRA_UI_PORT: must be a whole number");
    expect(error.detail).toContain("deviceId: 3–63 lowercase letters, digits and dashes");
  });

  it("says clearly when the file is missing or not JSON", () => {
    expectKioskError(
      () => loadConfig({ file: "/nonexistent/kiosk.json", env: {} }),
      ErrorCodes.CONFIG_UNREADABLE,
    );
    expectKioskError(
      () => loadConfig({ file: writeConfig("{ not json"), env: {} }),
      ErrorCodes.CONFIG_UNREADABLE,
    );
    expectKioskError(() => loadConfig({ file: writeConfig("[1,2]"), env: {} }), ErrorCodes.CONFIG_UNREADABLE);
  });
});
