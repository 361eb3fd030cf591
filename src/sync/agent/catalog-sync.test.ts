import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, scratchDir } from "../../../test/helpers/kiosk-store.js";
import { sampleInvoice } from "../../../test/helpers/sync-fixtures.js";
import { systemClock } from "../../core/clock.js";
import { newId } from "../../core/ids.js";
import { createMemoryLogger } from "../../core/logger.js";
import type { KioskStore } from "../../store/kiosk-store.js";
import { decodeMessage, type Outgoing } from "../protocol/codec.js";
import { CatalogCursor } from "./catalog-cursor.js";
import { CatalogSync } from "./catalog-sync.js";

describe("CatalogSync", () => {
  let dir: ReturnType<typeof scratchDir>;
  let store: KioskStore;
  let sent: Outgoing[];
  let sync: CatalogSync;
  let cursor: CatalogCursor;

  beforeEach(() => {
    dir = scratchDir();
    store = openTestStore(dir.path, "kiosk-catalog");
    cursor = new CatalogCursor(store.db);
    sent = [];
    sync = new CatalogSync({
      db: store.db,
      invoices: store.invoices,
      cursor,
      deviceId: "kiosk-catalog",
      clock: systemClock,
      newId,
      logger: createMemoryLogger(),
      pageSize: 2,
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
    sync.onPage({ since: 0, cursor: 2, more: true, clients: [client], invoices: [one] });
    expect(cursor.get()).toBe(2);
    expect(store.invoices.get(one.id)?.client.lastName).toBe("Renamed");
    expect(requests().at(-1)).toEqual({ since: 2, limit: 2 });
    sync.onPage({
      since: 2,
      cursor: 3,
      more: false,
      clients: [],
      invoices: [{ ...one, totalMinor: 5, version: 2 }],
    });
    expect(store.invoices.get(one.id)?.totalMinor).toBe(5);
    expect(sent).toHaveLength(2);
  });

  it("applies pages idempotently: an older version never wins, a page past a gap moves no cursor", () => {
    sync.attach((message) => sent.push(message));
    const invoice = sampleInvoice({ version: 4 });
    sync.onPage({ since: 0, cursor: 10, more: false, clients: [], invoices: [invoice] });
    sync.onPage({
      since: 0,
      cursor: 10,
      more: false,
      clients: [],
      invoices: [{ ...invoice, totalMinor: 1, version: 3 }],
    });
    expect(store.invoices.get(invoice.id)?.totalMinor).toBe(invoice.totalMinor);
    sync.onPage({ since: 20, cursor: 30, more: false, clients: [], invoices: [] });
    expect(cursor.get()).toBe(10);
  });

  it("asks again when nudged past its cursor, not when already there", () => {
    sync.attach((message) => sent.push(message));
    sync.onPage({ since: 0, cursor: 5, more: false, clients: [], invoices: [] });
    sync.onChanged({ cursor: 5 });
    expect(sent).toHaveLength(1);
    sync.onChanged({ cursor: 6 });
    expect(requests().at(-1)).toEqual({ since: 5, limit: 2 });
  });
});
