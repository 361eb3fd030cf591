import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, scratchDir, seedRecords } from "../../../test/helpers/kiosk-store.js";
import { sampleInvoice } from "../../../test/helpers/sync-fixtures.js";
import { fixedClock } from "../../core/clock.js";
import type { KioskStore } from "../../store/kiosk-store.js";
import type { HostHealth } from "../protocol/host-health.js";
import { telemetrySchema } from "../protocol/messages.js";
import { collectTelemetry } from "./telemetry.js";

const HOST: HostHealth = {
  model: "Raspberry Pi 5 Model B Rev 1.0",
  cpuTemperatureCelsius: 52.1,
  throttled: 0,
  memory: { totalBytes: 8_000_000_000, availableBytes: 6_000_000_000 },
  addresses: [{ interface: "eth0", address: "10.0.0.7" }],
  os: "Debian GNU/Linux 13 (trixie)",
  kernel: "6.12.25+rpt-rpi-2712",
};

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
      host: async () => HOST,
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
    expect(telemetry.disk.totalBytes).toBeGreaterThanOrEqual(telemetry.disk.freeBytes ?? Infinity);
    expect(telemetry.host).toEqual(HOST);
  });

  it("leaves the computer's health out when no source is given (an older kiosk's report)", async () => {
    const telemetry = await collectTelemetry({
      outbox: store.outbox,
      drivers: { health: () => ({}) },
      dataDir: dir.path,
      softwareVersion: "1.2.3",
      clock: fixedClock("2026-12-02T10:00:00.000Z"),
      lastSyncAt: () => null,
    });
    expect("host" in telemetry).toBe(false);
    expect(telemetrySchema.safeParse(telemetry).success).toBe(true);
  });
});
