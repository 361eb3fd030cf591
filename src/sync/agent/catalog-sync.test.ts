import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PageContent, signedPage } from "../../../test/helpers/catalog-pages.js";
import { openTestStore, scratchDir } from "../../../test/helpers/kiosk-store.js";
import { sampleInvoice } from "../../../test/helpers/sync-fixtures.js";
import { systemClock } from "../../core/clock.js";
import { newId } from "../../core/ids.js";
import { createMemoryLogger } from "../../core/logger.js";
import { catalogPageCheck } from "../../remote/catalog-pages.js";
import type { KioskStore } from "../../store/kiosk-store.js";
import { decodeMessage, type Outgoing } from "../protocol/codec.js";
import { commandPrivateKey, commandPublicKey, newCommandKeyPair } from "../protocol/command-signature.js";
import type { CatalogPage } from "../protocol/messages.js";
import { CatalogCursor } from "./catalog-cursor.js";
import { CatalogSync } from "./catalog-sync.js";

const keys = newCommandKeyPair();
const central = commandPrivateKey(keys.privateKeyPem);
/** A page as central answers this kiosk: signed for it. */
const signed = (content: PageContent, deviceId = "kiosk-catalog"): CatalogPage =>
  signedPage(content, deviceId, central);

describe("CatalogSync", () => {
  let dir: ReturnType<typeof scratchDir>;
  let store: KioskStore;
  let sent: Outgoing[];
  let sync: CatalogSync;
  let cursor: CatalogCursor;
  let logger: ReturnType<typeof createMemoryLogger>;

  beforeEach(() => {
    dir = scratchDir();
    store = openTestStore(dir.path, "kiosk-catalog");
    cursor = new CatalogCursor(store.db);
    sent = [];
    logger = createMemoryLogger();
    sync = new CatalogSync({
      db: store.db,
      invoices: store.invoices,
      cursor,
      deviceId: "kiosk-catalog",
      clock: systemClock,
      newId,
      logger,
      pageSize: 2,
      checkPage: catalogPageCheck({
        publicKey: () => commandPublicKey(keys.publicKeyPem),
        deviceId: "kiosk-catalog",
        clock: systemClock,
        maxClockSkewMs: 120_000,
      }),
    });
  });
  afterEach(() => {
    store.close();
    dir.remove();
  });

  const requests = () =>
    sent.map((message) => {
      const decoded = decodeMessage(message.topic, Buffer.from(message.body), {
        direction: "up",
        maxBytes: 1 << 20,
      });
      if (!decoded.ok || decoded.value.kind !== "catalogRequest") throw new Error("not a catalog request");
      return decoded.value.payload;
    });

  it("pulls from its cursor on connect and page by page while there is more", () => {
    sync.attach((message) => sent.push(message));
    expect(requests()).toEqual([{ since: 0, limit: 2 }]);
    const one = sampleInvoice();
    const client = { ...one.client, lastName: "Renamed", version: 3 };
    sync.onPage(signed({ since: 0, cursor: 2, more: true, clients: [client], invoices: [one] }));
    expect(cursor.get()).toBe(2);
    expect(store.invoices.get(one.id)?.client.lastName).toBe("Renamed");
    expect(requests().at(-1)).toEqual({ since: 2, limit: 2 });
    sync.onPage(
      signed({
        since: 2,
        cursor: 3,
        more: false,
        clients: [],
        invoices: [{ ...one, totalMinor: 5, version: 2 }],
      }),
    );
    expect(store.invoices.get(one.id)?.totalMinor).toBe(5);
    expect(sent).toHaveLength(2);
  });

  it("applies pages idempotently: an older version never wins, a page past a gap moves no cursor", () => {
    sync.attach((message) => sent.push(message));
    const invoice = sampleInvoice({ version: 4 });
    sync.onPage(signed({ since: 0, cursor: 10, more: false, clients: [], invoices: [invoice] }));
    sync.onPage(
      signed({
        since: 0,
        cursor: 10,
        more: false,
        clients: [],
        invoices: [{ ...invoice, totalMinor: 1, version: 3 }],
      }),
    );
    expect(store.invoices.get(invoice.id)?.totalMinor).toBe(invoice.totalMinor);
    sync.onPage(signed({ since: 20, cursor: 30, more: false, clients: [], invoices: [] }));
    expect(cursor.get()).toBe(10);
  });

  it("asks again when nudged past its cursor, not when already there", () => {
    sync.attach((message) => sent.push(message));
    sync.onPage(signed({ since: 0, cursor: 5, more: false, clients: [], invoices: [] }));
    sync.onChanged({ cursor: 5 });
    expect(sent).toHaveLength(1);
    sync.onChanged({ cursor: 6 });
    expect(requests().at(-1)).toEqual({ since: 5, limit: 2 });
  });

  it("refuses a page central did not sign for this kiosk: cache, cursor and pending request untouched", () => {
    sync.attach((message) => sent.push(message));
    const invoice = sampleInvoice({ version: 1 });
    sync.onPage(signed({ since: 0, cursor: 3, more: false, clients: [], invoices: [invoice] }));
    const next: PageContent = {
      since: 3,
      cursor: 9,
      more: true,
      clients: [],
      invoices: [{ ...invoice, totalMinor: 1, version: 2 }],
    };
    const genuine = signed(next);
    const forgeries: [CatalogPage, string][] = [
      [{ ...genuine, signature: "" }, "REMOTE_CATALOG_UNSIGNED"],
      [{ ...genuine, more: false }, "REMOTE_CATALOG_BAD_SIGNATURE"],
      [
        signedPage(next, "kiosk-catalog", commandPrivateKey(newCommandKeyPair().privateKeyPem)),
        "REMOTE_CATALOG_BAD_SIGNATURE",
      ],
      [signed(next, "kiosk-other"), "REMOTE_CATALOG_WRONG_DEVICE"],
    ];
    for (const [forged, code] of forgeries) {
      sync.onPage(forged);
      expect(logger.lines.at(-1)).toContain(`[${code}] catalog page refused`);
    }
    expect(store.invoices.get(invoice.id)?.totalMinor).toBe(invoice.totalMinor);
    expect(cursor.get()).toBe(3);
    expect(sync.applied).toBe(1);
    expect(sent).toHaveLength(1); // no forged "more" made it ask again
    sync.onPage(genuine);
    expect(store.invoices.get(invoice.id)?.totalMinor).toBe(1);
    expect(cursor.get()).toBe(9);
    expect(requests().at(-1)).toEqual({ since: 9, limit: 2 });
  });
});
