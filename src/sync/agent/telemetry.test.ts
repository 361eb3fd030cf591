import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, scratchDir, seedRecords } from "../../../test/helpers/kiosk-store.js";
import { sampleInvoice } from "../../../test/helpers/sync-fixtures.js";
import { fixedClock } from "../../core/clock.js";
import type { KioskStore } from "../../store/kiosk-store.js";
import { telemetrySchema } from "../protocol/messages.js";
import { collectTelemetry } from "./telemetry.js";

describe("collectTelemetry", () => {
  let dir: ReturnType<typeof scratchDir>;
  let store: KioskStore;
  beforeEach(() => {
    dir = scratchDir();
    store = openTestStore(dir.path, "kiosk-telemetry");
  });
  afterEach(() => {
    store.close();
    dir.remove();
  });

  it("reports the outbox backlog and its age, the drivers, free disk and the last sync", async () => {
    const records = seedRecords(store, sampleInvoice(), "kiosk-telemetry", 3);
    const created = Date.parse(records[0]?.createdAt ?? "");
    const clock = fixedClock(new Date(created + 90_500).toISOString());
    const telemetry = await collectTelemetry({
      outbox: store.outbox,
      drivers: { health: () => ({ printer: { status: "error", detail: "paper out" } }) },
      dataDir: dir.path,
      softwareVersion: "1.2.3",
      clock,
      lastSyncAt: () => null,
      lock: () => ({
        locked: true,
        reason: "Screen cleaning",
        by: "central:ops",
        at: "2026-11-26T10:00:00.000Z",
      }),
    });
    expect(telemetrySchema.parse(telemetry)).toEqual(telemetry);
    expect(telemetry.lock).toEqual({ locked: true, reason: "Screen cleaning", by: "central:ops" });
    expect(telemetry).toMatchObject({
      softwareVersion: "1.2.3",
      outbox: { depth: 3, oldestUnsyncedAgeSeconds: 90 },
      drivers: { printer: { status: "error", detail: "paper out" } },
      lastSyncAt: null,
    });
    expect(telemetry.disk.freeBytes).toBeGreaterThan(0);
  });
});
