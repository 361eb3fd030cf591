import { sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signedPage } from "../../test/helpers/catalog-pages.js";
import { sampleInvoice } from "../../test/helpers/sync-fixtures.js";
import { fixedClock } from "../core/clock.js";
import {
  commandPrivateKey,
  commandPublicKey,
  newCommandKeyPair,
  signedBytes,
  verifiesAs,
} from "../sync/protocol/command-signature.js";
import type { CatalogPage } from "../sync/protocol/messages.js";
import { catalogPageCheck } from "./catalog-pages.js";

const keys = newCommandKeyPair();
const other = newCommandKeyPair();
const central = commandPrivateKey(keys.privateKeyPem);
const now = new Date("2026-12-03T09:00:00Z");
const invoice = sampleInvoice({
  id: "inv-1",
  number: "A-1001",
  lines: [{ description: "Session", quantity: 1, amountMinor: 25_000 }],
  totalMinor: 25_000,
  version: 2,
});
const content = { since: 0, cursor: 4, more: false, clients: [], invoices: [invoice] };

const check = catalogPageCheck({
  publicKey: () => commandPublicKey(keys.publicKeyPem),
  deviceId: "kiosk-b",
  clock: fixedClock(now.toISOString()),
  maxClockSkewMs: 120_000,
});
const page = (overrides: Partial<Omit<CatalogPage, "signature">> = {}, key = central): CatalogPage =>
  signedPage(content, "kiosk-b", key, now, overrides);

describe("a catalog page at the kiosk", () => {
  it("is applied only when central signed it for this kiosk and it is valid now", () => {
    expect(check(page())).toEqual({ ok: true });
  });

  const relabelled = (): CatalogPage => {
    // What central signed as a command, over exactly these fields: valid under its own label only.
    const { signature: _signature, ...fields } = page();
    const signature = sign(null, signedBytes("command", fields), central).toString("base64");
    expect(verifiesAs("command", { ...fields, signature }, commandPublicKey(keys.publicKeyPem))).toBe(true);
    return { ...fields, signature };
  };
  const cases: [string, () => CatalogPage, string][] = [
    ["unsigned", () => ({ ...page(), signature: "" }), "REMOTE_CATALOG_UNSIGNED"],
    [
      "signed with another key",
      () => page({}, commandPrivateKey(other.privateKeyPem)),
      "REMOTE_CATALOG_BAD_SIGNATURE",
    ],
    [
      "with an invoice amount changed after signing",
      () => {
        const genuine = page();
        const [first] = genuine.invoices;
        if (!first) throw new Error("no invoice on the page");
        return { ...genuine, invoices: [{ ...first, totalMinor: 1 }] };
      },
      "REMOTE_CATALOG_BAD_SIGNATURE",
    ],
    ["signed for another kiosk", () => page({ deviceId: "kiosk-a" }), "REMOTE_CATALOG_WRONG_DEVICE"],
    [
      "expired",
      () => page({ issuedAt: "2026-12-03T07:00:00Z", expiresAt: "2026-12-03T08:00:00Z" }),
      "REMOTE_CATALOG_EXPIRED",
    ],
    [
      "issued in the future",
      () => page({ issuedAt: "2026-12-03T10:00:00Z" }),
      "REMOTE_CATALOG_NOT_YET_VALID",
    ],
    ["carrying a command's signature", relabelled, "REMOTE_CATALOG_BAD_SIGNATURE"],
  ];
  for (const [what, forged, code] of cases) {
    it(`is refused ${what}, with ${code}`, () => {
      expect(check(forged())).toMatchObject({ ok: false, code });
    });
  }

  it("is refused without central's public key, like every signed message", () => {
    const keyless = catalogPageCheck({
      publicKey: () => null,
      deviceId: "kiosk-b",
      clock: fixedClock(now.toISOString()),
      maxClockSkewMs: 120_000,
    });
    expect(keyless(page())).toMatchObject({ ok: false, code: "REMOTE_NO_PUBLIC_KEY" });
  });

  it("never verifies as invoice accounts or a command: the label is part of what is signed", () => {
    const genuine = page();
    const publicKey = commandPublicKey(keys.publicKeyPem);
    expect(verifiesAs("catalogPage", genuine, publicKey)).toBe(true);
    expect(verifiesAs("command", genuine, publicKey)).toBe(false);
    expect(verifiesAs("invoiceAccounts", genuine, publicKey)).toBe(false);
  });
});
