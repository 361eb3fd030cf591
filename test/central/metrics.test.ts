import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { newId } from "../../src/core/ids.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { encodeMessage } from "../../src/sync/protocol/codec.js";
import { centralTotals, sqlOf } from "../helpers/central-queries.js";
import {
  type Fleet,
  mqttClient,
  publishAs,
  SAMPLE_HEALTH,
  startFleet,
  startKioskAgent,
} from "../helpers/dashboard.js";
import { FakeHostRoot, fakeRaspberryPi } from "../helpers/fake-host.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { type PromFamily, parsePrometheusText, samples, sampleValue } from "../helpers/prometheus-text.js";
import { sampleInvoice, sampleRecord } from "../helpers/sync-fixtures.js";
import { until } from "../helpers/wait.js";

const PI = "kiosk-metrics-pi";
const GONE = "kiosk-metrics-gone";
const EXTRA = "kiosk-metrics-zz";
const TOKEN = "prometheus-scrape-token-4f9a1c2e7b3d5a6f";

describe("/metrics for Prometheus: a real central (PostgreSQL, Mosquitto) with a kiosk reporting", () => {
  const dir = scratchDir("spectra-metrics-");
  const root = new FakeHostRoot();
  let fleet: Fleet;
  let store: KioskStore;
  let agent: SyncAgent;

  const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(new URL("/metrics", fleet.url), { headers });
  const families = async (): Promise<PromFamily[]> => {
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await response.text());
  };

  beforeAll(async () => {
    const tokenFile = join(dir.path, "metrics-token");
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    // Two kiosks exported at most: the third (by id) is counted, not exported.
    fleet = await startFleet({}, { metrics: { tokenFile, maxKiosks: 2 } });
    const db = sqlOf(fleet.database.pool);

    // A kiosk that reported and then shut down, and one more beyond the limit.
    const other = await mqttClient(fleet.broker.url);
    const connectionId = newId();
    await publishAs(other, "state", GONE, { state: "online", connectionId, reason: "connected" });
    await publishAs(other, "telemetry", GONE, {
      softwareVersion: "0.1.9",
      uptimeSeconds: 10,
      outbox: { depth: 7, oldestUnsyncedAgeSeconds: 600 },
      drivers: { printer: { status: "connected", detail: null } },
      disk: { freeBytes: 1_000 },
      lastSyncAt: null,
    });
    await publishAs(other, "state", GONE, { state: "offline", connectionId, reason: "shutdown" });
    await publishAs(other, "state", EXTRA, { state: "online", connectionId: newId(), reason: "connected" });
    // Two messages ingest refuses: dead letters, one named after the kiosk.
    await other.publishAsync(`spectra/v1/kiosks/${PI}/up/records`, '{"schema":1,"truncated', { qos: 1 });
    await other.publishAsync("spectra/v1/kiosks/NOT A KIOSK/up/telemetry", "{}", { qos: 1 });
    await other.endAsync();

    store = openTestStore(join(dir.path, PI), PI);
    const invoice = sampleInvoice();
    store.invoices.upsertInvoice(invoice, new Date().toISOString());
    for (const amount of [1_500, 2_500, 4_000])
      store.records.insert(sampleRecord(invoice, PI, amount), "csh");
    agent = startKioskAgent(store, PI, fleet.broker.url, SAMPLE_HEALTH, { host: fakeRaspberryPi(root) });
    await until(async () => (await centralTotals(db)).count === 3, "the kiosk's records at central");
    await until(
      async () =>
        (
          await db.query(
            "SELECT 1 FROM devices WHERE device_id = $1 AND (telemetry #>> '{outbox,depth}') = '0'",
            [PI],
          )
        ).length === 1,
      "telemetry with nothing waiting",
    );
    await until(async () => (await db.query("SELECT 1 FROM dead_letters")).length === 2, "two dead letters");
    await until(
      async () =>
        (await db.query("SELECT 1 FROM devices WHERE device_id = $1 AND state = 'offline'", [GONE]))
          .length === 1,
      "the other kiosk offline",
    );
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    store?.close();
    await fleet?.stop();
    root.remove();
    dir.remove();
  });

  it("refuses a scrape without the token, or with a wrong one: 401 with a coded answer", async () => {
    const refused: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}` },
      { authorization: TOKEN },
    ];
    for (const headers of refused) {
      const response = await scrape(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="spectra-metrics"');
      const body = await response.text();
      expect(body).toContain(ErrorCodes.METRICS_UNAUTHORIZED);
      expect(body).not.toContain("spectra_kiosk");
    }
    // A dashboard session is no way in either, and other methods are refused.
    expect((await fetch(new URL("/metrics", fleet.url), { method: "POST" })).status).toBe(405);
  });

  it("exports each kiosk's state, queue, devices and Pi health, parsed as the Prometheus text format", async () => {
    const parsed = await families();
    const pi = { kiosk: PI };
    expect(sampleValue(parsed, "spectra_kiosk_online", pi)).toBe(1);
    expect(sampleValue(parsed, "spectra_kiosk_outbox_records", pi)).toBe(0);
    expect(samples(parsed, "spectra_kiosk_outbox_oldest_age_seconds", pi)).toHaveLength(0);
    const lastSeen = sampleValue(parsed, "spectra_kiosk_last_seen_timestamp_seconds", pi) ?? 0;
    expect(Math.abs(Date.now() / 1000 - lastSeen)).toBeLessThan(60);
    expect(sampleValue(parsed, "spectra_kiosk_info", { kiosk: PI, version: "9.8.7" })).toBe(1);
    expect(sampleValue(parsed, "spectra_kiosk_device_up", { kiosk: PI, device: "card-reader" })).toBe(1);
    expect(sampleValue(parsed, "spectra_kiosk_device_up", { kiosk: PI, device: "printer" })).toBe(0);
    expect(
      sampleValue(parsed, "spectra_kiosk_device_status", {
        kiosk: PI,
        device: "printer",
        status: "paper-out",
      }),
    ).toBe(1);
    expect(sampleValue(parsed, "spectra_kiosk_device_up", { kiosk: PI, device: "gpio" })).toBe(1);
    // Pi health from the fake /sys tree, through the agent, Mosquitto, ingest and PostgreSQL.
    expect(sampleValue(parsed, "spectra_kiosk_cpu_temperature_celsius", pi)).toBeCloseTo(61.8, 5);
    expect(sampleValue(parsed, "spectra_kiosk_throttled", { kiosk: PI, flag: "underVoltageNow" })).toBe(1);
    expect(sampleValue(parsed, "spectra_kiosk_throttled", { kiosk: PI, flag: "throttledSinceBoot" })).toBe(1);
    expect(sampleValue(parsed, "spectra_kiosk_throttled", { kiosk: PI, flag: "frequencyCappedNow" })).toBe(0);
    expect(sampleValue(parsed, "spectra_kiosk_memory_available_bytes", pi)).toBe(2718200 * 1024);
    expect(sampleValue(parsed, "spectra_kiosk_memory_total_bytes", pi)).toBe(3885024 * 1024);
    expect(sampleValue(parsed, "spectra_kiosk_disk_size_bytes", pi)).toBeGreaterThan(0);
  });

  it("exports an offline kiosk as offline, without its last report passed off as current", async () => {
    const parsed = await families();
    const gone = { kiosk: GONE };
    expect(sampleValue(parsed, "spectra_kiosk_online", gone)).toBe(0);
    expect(sampleValue(parsed, "spectra_kiosk_last_seen_timestamp_seconds", gone)).toBeGreaterThan(0);
    expect(samples(parsed, "spectra_kiosk_outbox_records", gone)).toHaveLength(0);
    expect(samples(parsed, "spectra_kiosk_device_up", gone)).toHaveLength(0);
    expect(sampleValue(parsed, "spectra_kiosks", { state: "offline" })).toBe(1);
  });

  it("bounds label values: at most maxKiosks kiosks, only valid ids, only known codes", async () => {
    const parsed = await families();
    const kiosks = new Set(samples(parsed, "spectra_kiosk_online").map((sample) => sample.labels?.kiosk));
    expect([...kiosks].sort()).toEqual([GONE, PI]);
    expect(sampleValue(parsed, "spectra_kiosks_not_exported")).toBe(1);
    expect(sampleValue(parsed, "spectra_kiosks", { state: "online" })).toBe(2);
    const codes = samples(parsed, "spectra_dead_letters").map((sample) => sample.labels?.code);
    for (const code of codes) expect(Object.values(ErrorCodes)).toContain(code);
    expect(sampleValue(parsed, "spectra_dead_letters", { code: ErrorCodes.SYNC_MESSAGE_NOT_JSON })).toBe(1);
    expect(sampleValue(parsed, "spectra_kiosk_dead_letters", { kiosk: PI })).toBe(1);
  });

  it("counts ingest: messages by kind, records by outcome, dead letters, and each payment's lag", async () => {
    const parsed = await families();
    expect(sampleValue(parsed, "spectra_ingest_records_total", { outcome: "stored" })).toBe(3);
    expect(
      sampleValue(parsed, "spectra_ingest_messages_total", { kind: "telemetry" }),
    ).toBeGreaterThanOrEqual(2);
    expect(sampleValue(parsed, "spectra_ingest_messages_total", { kind: "records" })).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      sampleValue(parsed, "spectra_ingest_dead_letters_total", { code: ErrorCodes.SYNC_MESSAGE_NOT_JSON }),
    ).toBe(1);
    const [lag] = samples(parsed, "spectra_ingest_record_lag_seconds");
    expect(Number(lag?.count)).toBe(3);
    expect(Number(lag?.sum)).toBeGreaterThan(0);
    expect(Number(lag?.buckets?.["3600"])).toBe(3);
    expect(samples(parsed, "spectra_central_process_resident_memory_bytes")).toHaveLength(1);
  });

  it("takes telemetry from a hostile kiosk without growing labels: device names beyond the schema are refused", async () => {
    const hostile: MqttClient = await connectAsync(fleet.broker.url, {
      clientId: `test-${newId().slice(-8)}`,
      reconnectPeriod: 0,
    });
    const drivers = Object.fromEntries(
      Array.from({ length: 33 }, (_, index) => [`dev${index}`, { status: "connected", detail: null }]),
    );
    const message = encodeMessage(
      "telemetry",
      PI,
      {
        softwareVersion: "9.8.7",
        uptimeSeconds: 1,
        outbox: { depth: 0, oldestUnsyncedAgeSeconds: null },
        drivers: {},
        disk: { freeBytes: null },
        lastSyncAt: null,
      },
      { messageId: newId(), sentAt: new Date().toISOString() },
    );
    const body = JSON.parse(message.body) as { payload: { drivers: unknown } };
    body.payload.drivers = drivers;
    await hostile.publishAsync(message.topic, JSON.stringify(body), { qos: 1 });
    await hostile.endAsync();
    const db = sqlOf(fleet.database.pool);
    await until(
      async () => (await db.query("SELECT 1 FROM dead_letters")).length === 3,
      "the refused telemetry",
    );
    const parsed = await families();
    const devices = samples(parsed, "spectra_kiosk_device_up", { kiosk: PI }).map(
      (sample) => sample.labels?.device,
    );
    expect(devices.sort()).toEqual(["card-reader", "gpio", "printer"]);
  });

  it("has an example Grafana dashboard that is valid JSON and uses only metrics a scrape has", async () => {
    const text = readFileSync(new URL("../../docs/grafana-dashboard.json", import.meta.url), "utf8");
    const dashboard = JSON.parse(text) as { panels: { title: string; targets: { expr: string }[] }[] };
    expect(dashboard.panels.length).toBeGreaterThan(10);
    const parsed = await families();
    const names = new Set(parsed.map((family) => family.name));
    const histograms = new Set(
      parsed.filter((family) => family.type === "HISTOGRAM").map((family) => family.name),
    );
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets)
        for (const [name] of expr.matchAll(/\bspectra_[a-z0-9_]+/g)) used.add(name);
    }
    expect(used.size).toBeGreaterThan(15);
    for (const name of used) {
      const family = name.replace(/_(bucket|sum|count)$/, "");
      const exists = names.has(name) || (histograms.has(family) && family !== name);
      expect(exists, `${name} in docs/grafana-dashboard.json is not in a scrape`).toBe(true);
    }
  });
});
