import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { Sql } from "../db/central-db.js";
import { FleetMetrics } from "./fleet-metrics.js";

const telemetry = (drivers: Record<string, unknown>, softwareVersion = "1.0.0") => ({
  softwareVersion,
  uptimeSeconds: 5,
  outbox: { depth: 2, oldestUnsyncedAgeSeconds: null },
  drivers,
  disk: { freeBytes: null },
  lastSyncAt: null,
});

/**
 * Rows as a database could hold them after years of kiosks, including what ingest would never have
 * let in (a unit test of the bounds alone: the integration test drives the real ingest).
 */
function fakeDb(devices: object[], letters: object[]): Sql {
  return {
    query: async <Row extends object>(text: string): Promise<Row[]> => {
      if (text.includes("FROM devices ORDER BY")) return devices as Row[];
      if (text.includes("FROM devices GROUP BY"))
        return [{ state: "online", count: String(devices.length) }] as Row[];
      if (text.includes("FROM dead_letters WHERE status = 'open' GROUP BY code")) return letters as Row[];
      return [];
    },
  };
}

describe("FleetMetrics label bounds", () => {
  it("exports only device ids, driver-like names, version-like versions and known codes", async () => {
    const registry = new Registry();
    const metrics = new FleetMetrics(registry, 10);
    const now = new Date();
    await metrics.update(
      fakeDb(
        [
          {
            device_id: "kiosk-good",
            state: "online",
            last_seen_at: now,
            telemetry_at: now,
            telemetry: telemetry(
              {
                printer: { status: "connected", detail: null },
                "bad name!": { status: "connected", detail: null },
              },
              "1.0.0; DROP",
            ),
          },
          {
            device_id: "Not A Device Id",
            state: "online",
            last_seen_at: now,
            telemetry_at: now,
            telemetry: telemetry({}),
          },
          {
            device_id: "kiosk-garbled",
            state: "online",
            last_seen_at: now,
            telemetry_at: null,
            telemetry: { softwareVersion: 42 },
          },
        ],
        [
          { code: "SYNC_MESSAGE_INVALID", count: "2" },
          { code: "made-up-code-<script>", count: "5" },
        ],
      ),
    );
    const text = await registry.metrics();
    expect(text).toContain('spectra_kiosk_online{kiosk="kiosk-good"} 1');
    expect(text).toContain('spectra_kiosk_online{kiosk="kiosk-garbled"} 1');
    expect(text).not.toContain("Not A Device Id");
    expect(text).toContain('spectra_kiosk_device_up{kiosk="kiosk-good",device="printer"} 1');
    expect(text).not.toContain("bad name!");
    expect(text).toContain('spectra_kiosk_info{kiosk="kiosk-good",version="invalid"} 1');
    // Telemetry that does not parse exports nothing from it.
    expect(text).not.toMatch(/spectra_kiosk_outbox_records\{kiosk="kiosk-garbled"\}/);
    expect(text).toContain('spectra_dead_letters{code="SYNC_MESSAGE_INVALID"} 2');
    expect(text).toContain('spectra_dead_letters{code="OTHER"} 5');
    expect(text).not.toContain("<script>");
  });

  it("drops a kiosk that is gone from the next scrape", async () => {
    const registry = new Registry();
    const metrics = new FleetMetrics(registry, 10);
    const row = {
      device_id: "kiosk-once",
      state: "online",
      last_seen_at: new Date(),
      telemetry_at: null,
      telemetry: null,
    };
    await metrics.update(fakeDb([row], []));
    expect(await registry.metrics()).toContain('kiosk="kiosk-once"');
    await metrics.update(fakeDb([], []));
    expect(await registry.metrics()).not.toContain('kiosk="kiosk-once"');
  });
});
