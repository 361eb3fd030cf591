import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { testStore } from "../../test/helpers/store.js";
import { fixedClock } from "../core/clock.js";
import { createMemoryLogger } from "../core/logger.js";
import type { InvoiceAccounts } from "../sync/protocol/account-messages.js";
import {
  commandPrivateKey,
  commandPublicKey,
  newCommandKeyPair,
  signInvoiceAccounts,
} from "../sync/protocol/command-signature.js";
import { type AccountsLink, followInvoiceAccounts, receiveInvoiceAccounts } from "./invoice-accounts.js";

const keys = newCommandKeyPair();
const other = newCommandKeyPair();
const now = new Date("2026-11-26T17:00:00Z");
const context = {
  publicKey: commandPublicKey(keys.publicKeyPem),
  deviceId: "kiosk-b",
  now,
  maxClockSkewMs: 120_000,
};

function message(overrides: Partial<Omit<InvoiceAccounts, "signature">> = {}, key = keys): InvoiceAccounts {
  return signInvoiceAccounts(
    {
      deviceId: "kiosk-b",
      accounts: [
        {
          invoiceId: "inv-1",
          seq: 3,
          currency: "USD",
          paidMinor: 9_000,
          refundedMinor: 0,
          asOf: now.toISOString(),
        },
      ],
      page: null,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 600_000).toISOString(),
      ...overrides,
    },
    commandPrivateKey(key.privateKeyPem),
  );
}

describe("central's invoice accounts at a kiosk", () => {
  const cases: [string, InvoiceAccounts, string][] = [
    ["unsigned", { ...message(), signature: "" }, "REMOTE_ACCOUNTS_UNSIGNED"],
    ["signed by another key", message({}, other), "REMOTE_ACCOUNTS_BAD_SIGNATURE"],
    [
      "altered after signing",
      {
        ...message(),
        accounts: [{ ...(message().accounts[0] as InvoiceAccounts["accounts"][0]), paidMinor: 25_000 }],
      },
      "REMOTE_ACCOUNTS_BAD_SIGNATURE",
    ],
    ["signed for another kiosk", message({ deviceId: "kiosk-a" }), "REMOTE_ACCOUNTS_WRONG_DEVICE"],
    [
      "expired",
      message({ issuedAt: "2026-11-26T15:00:00Z", expiresAt: "2026-11-26T16:00:00Z" }),
      "REMOTE_ACCOUNTS_EXPIRED",
    ],
    ["issued in the future", message({ issuedAt: "2026-11-26T18:00:00Z" }), "REMOTE_ACCOUNTS_NOT_YET_VALID"],
  ];
  for (const [what, forged, code] of cases) {
    it(`refuses one ${what} with ${code}, changing nothing`, () => {
      const store = testStore({ deviceId: "kiosk-b" });
      try {
        expect(receiveInvoiceAccounts(forged, context, store.elsewhere)).toMatchObject({ ok: false, code });
        expect(store.invoices.terms("inv-1")?.elsewhere).toBeNull();
      } finally {
        store.dispose();
      }
    });
  }

  it("refuses everything without central's public key", () => {
    const store = testStore({ deviceId: "kiosk-b" });
    try {
      expect(
        receiveInvoiceAccounts(message(), { ...context, publicKey: null }, store.elsewhere),
      ).toMatchObject({
        ok: false,
        code: "REMOTE_NO_PUBLIC_KEY",
      });
    } finally {
      store.dispose();
    }
  });

  it("keeps a signed account, and a page moves the cursor and says whether there is more", () => {
    const store = testStore({ deviceId: "kiosk-b" });
    try {
      expect(
        receiveInvoiceAccounts(
          message({ page: { since: 0, cursor: 3, more: true } }),
          context,
          store.elsewhere,
        ),
      ).toEqual({ ok: true, changed: ["inv-1"], more: true });
      expect(store.invoices.terms("inv-1")?.elsewhere?.paidMinor).toBe(9_000);
      expect(store.elsewhere.cursor()).toBe(3);
      // The same message again (a replay) changes nothing.
      expect(receiveInvoiceAccounts(message(), context, store.elsewhere)).toEqual({
        ok: true,
        changed: [],
        more: false,
      });
    } finally {
      store.dispose();
    }
  });

  it("tells whoever follows which invoices changed, only when a signed account was newer", () => {
    const store = testStore({ deviceId: "kiosk-b" });
    const link = Object.assign(new EventEmitter<{ invoiceAccounts: [InvoiceAccounts] }>(), {
      requests: 0,
      requestAccounts(): boolean {
        link.requests += 1;
        return true;
      },
    }) satisfies AccountsLink;
    const told: (readonly string[])[] = [];
    const logger = createMemoryLogger();
    let fail = false;
    try {
      followInvoiceAccounts(link, {
        publicKey: () => context.publicKey,
        deviceId: "kiosk-b",
        clock: fixedClock(now.toISOString()),
        maxClockSkewMs: 120_000,
        book: store.elsewhere,
        logger,
        onChanged: (ids) => {
          told.push(ids);
          if (fail) throw new Error("screen gone");
        },
      });
      link.emit("invoiceAccounts", message({}, other));
      expect(told).toEqual([]);
      link.emit("invoiceAccounts", message());
      expect(told).toEqual([["inv-1"]]);
      // A replay changes nothing, so nobody is told.
      link.emit("invoiceAccounts", message());
      expect(told).toEqual([["inv-1"]]);
      // A listener that throws is logged; the next page is still asked for.
      fail = true;
      const account = message().accounts[0] as InvoiceAccounts["accounts"][0];
      link.emit(
        "invoiceAccounts",
        message({ accounts: [{ ...account, seq: 4 }], page: { since: 0, cursor: 4, more: true } }),
      );
      expect(told).toEqual([["inv-1"], ["inv-1"]]);
      expect(link.requests).toBe(1);
      expect(logger.lines.join("\n")).toContain("screen gone");
    } finally {
      store.dispose();
    }
  });
});
