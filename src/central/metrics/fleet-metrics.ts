import { Gauge, type Registry } from "prom-client";
import { decodeThrottled, THROTTLE_BITS, type ThrottleFlag } from "../../sync/protocol/host-health.js";
import { type Telemetry, telemetrySchema } from "../../sync/protocol/messages.js";
import { isDeviceId } from "../../sync/protocol/topics.js";
import type { Sql } from "../db/central-db.js";
import { codeLabel } from "./ingest-metrics.js";

/** Device names as drivers report them; anything else is not made a label. */
const DEVICE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
/** A software version as releases name it; anything else is exported as "invalid". */
const VERSION = /^[0-9A-Za-z.+_-]{1,40}$/;
const UP_STATUSES: ReadonlySet<string> = new Set(["connected", "simulated"]);

interface DeviceRow {
  device_id: string;
  state: string | null;
  last_seen_at: Date | string | null;
  telemetry_at: Date | string | null;
  telemetry: unknown;
}

const seconds = (value: Date | string | null): number | null => {
  if (value === null) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms / 1000 : null;
};

type Labels<T extends string> = Partial<Record<T, string | number>>;

/**
 * The fleet as Prometheus sees it, read from central's database at each scrape, so every central
 * process answers alike. Label values are bounded: kiosk ids must be device ids (at most
 * `maxKiosks` of them), device names and versions must look like ones, codes must be ours. An
 * offline kiosk exports only that it is offline, when it was last seen and its identity: what it
 * last reported is not current, so it is not exported as if it were (the dashboard shows it, as of then).
 */
export class FleetMetrics {
  readonly #gauges: Gauge<string>[] = [];
  readonly #kiosks: Gauge<"state">;
  readonly #notExported: Gauge;
  readonly #online: Gauge<"kiosk">;
  readonly #lastSeen: Gauge<"kiosk">;
  readonly #telemetryAt: Gauge<"kiosk">;
  readonly #info: Gauge<"kiosk" | "version">;
  readonly #outboxRecords: Gauge<"kiosk">;
  readonly #outboxOldest: Gauge<"kiosk">;
  readonly #deviceUp: Gauge<"kiosk" | "device">;
  readonly #deviceStatus: Gauge<"kiosk" | "device" | "status">;
  readonly #locked: Gauge<"kiosk">;
  readonly #uptime: Gauge<"kiosk">;
  readonly #diskFree: Gauge<"kiosk">;
  readonly #diskSize: Gauge<"kiosk">;
  readonly #temperature: Gauge<"kiosk">;
  readonly #throttled: Gauge<"kiosk" | "flag">;
  readonly #memoryAvailable: Gauge<"kiosk">;
  readonly #memoryTotal: Gauge<"kiosk">;
  readonly #deadLetters: Gauge<"code">;
  readonly #kioskDeadLetters: Gauge<"kiosk">;

  constructor(
    registry: Registry,
    private readonly maxKiosks: number,
  ) {
    const gauge = <T extends string>(name: string, help: string, labelNames: readonly T[]): Gauge<T> => {
      const made = new Gauge<T>({ name, help, labelNames, registers: [registry] });
      this.#gauges.push(made as Gauge<string>);
      return made;
    };
    const kiosk = ["kiosk"] as const;
    this.#kiosks = gauge("spectra_kiosks", "Kiosks central knows, by state (online, offline, unknown)", [
      "state",
    ]);
    this.#notExported = gauge(
      "spectra_kiosks_not_exported",
      "Kiosks beyond metrics.maxKiosks, not exported",
      [],
    );
    this.#online = gauge(
      "spectra_kiosk_online",
      "1 while the kiosk is online (its retained state), else 0",
      kiosk,
    );
    this.#lastSeen = gauge(
      "spectra_kiosk_last_seen_timestamp_seconds",
      "When the kiosk itself last sent anything (a Last Will does not count), Unix time",
      kiosk,
    );
    this.#telemetryAt = gauge(
      "spectra_kiosk_telemetry_timestamp_seconds",
      "When central received the kiosk's latest telemetry, Unix time",
      kiosk,
    );
    this.#info = gauge("spectra_kiosk_info", "Always 1: the software version the kiosk last reported", [
      "kiosk",
      "version",
    ]);
    this.#outboxRecords = gauge(
      "spectra_kiosk_outbox_records",
      "Records waiting at an online kiosk to reach central",
      kiosk,
    );
    this.#outboxOldest = gauge(
      "spectra_kiosk_outbox_oldest_age_seconds",
      "How long the oldest record waiting at an online kiosk has waited (absent when none waits)",
      kiosk,
    );
    this.#deviceUp = gauge(
      "spectra_kiosk_device_up",
      "1 when an online kiosk's device (card-reader, printer, gpio, …) is connected or simulated, else 0",
      ["kiosk", "device"],
    );
    this.#deviceStatus = gauge(
      "spectra_kiosk_device_status",
      "1 for the status an online kiosk reports for each device (connected, disconnected, error, disabled, simulated, paper-out)",
      ["kiosk", "device", "status"],
    );
    this.#locked = gauge("spectra_kiosk_locked", "1 while an online kiosk is out of service (locked)", kiosk);
    this.#uptime = gauge("spectra_kiosk_uptime_seconds", "The kiosk process's uptime", kiosk);
    this.#diskFree = gauge("spectra_kiosk_disk_free_bytes", "Free space for the kiosk's data", kiosk);
    this.#diskSize = gauge(
      "spectra_kiosk_disk_size_bytes",
      "Size of the file system holding the kiosk's data",
      kiosk,
    );
    this.#temperature = gauge("spectra_kiosk_cpu_temperature_celsius", "The kiosk's CPU temperature", kiosk);
    this.#throttled = gauge(
      "spectra_kiosk_throttled",
      "1 when the Raspberry Pi firmware reports the flag (under-voltage, throttling, capping, soft limit; now or since boot)",
      ["kiosk", "flag"],
    );
    this.#memoryAvailable = gauge(
      "spectra_kiosk_memory_available_bytes",
      "MemAvailable of the kiosk's computer",
      kiosk,
    );
    this.#memoryTotal = gauge("spectra_kiosk_memory_total_bytes", "MemTotal of the kiosk's computer", kiosk);
    this.#deadLetters = gauge(
      "spectra_dead_letters",
      "Open dead letters (neither replayed nor dismissed) in central's database, by code",
      ["code"],
    );
    this.#kioskDeadLetters = gauge(
      "spectra_kiosk_dead_letters",
      "Open dead letters (neither replayed nor dismissed) in central's database, by kiosk",
      kiosk,
    );
  }

  /** Reads the fleet from the database and sets every gauge to it; kiosks gone since are dropped. */
  async update(db: Sql): Promise<void> {
    const [rows, total, letters] = await Promise.all([
      db.query<DeviceRow>(
        "SELECT device_id, state, last_seen_at, telemetry_at, telemetry FROM devices ORDER BY device_id LIMIT $1",
        [this.maxKiosks],
      ),
      db.query<{ state: string | null; count: string | number }>(
        "SELECT state, count(*) AS count FROM devices GROUP BY state",
      ),
      db.query<{ code: string; count: string | number }>(
        "SELECT code, count(*) AS count FROM dead_letters WHERE status = 'open' GROUP BY code",
      ),
    ]);
    const kiosks = rows.filter((row) => isDeviceId(row.device_id));
    const byKiosk = await db.query<{ device_id: string; count: string | number }>(
      "SELECT device_id, count(*) AS count FROM dead_letters WHERE status = 'open' AND device_id = ANY($1::text[]) GROUP BY device_id",
      [kiosks.map((row) => row.device_id)],
    );
    for (const made of this.#gauges) made.reset();

    let known = 0;
    for (const { state, count } of total) {
      known += Number(count);
      this.#kiosks.inc(
        { state: state === "online" || state === "offline" ? state : "unknown" },
        Number(count),
      );
    }
    for (const state of ["online", "offline", "unknown"]) this.#kiosks.inc({ state }, 0);
    this.#notExported.set(Math.max(0, known - kiosks.length));
    for (const row of kiosks) this.#kiosk(row);
    for (const { code, count } of letters) this.#deadLetters.inc({ code: codeLabel(code) }, Number(count));
    for (const { device_id, count } of byKiosk)
      this.#kioskDeadLetters.set({ kiosk: device_id }, Number(count));
  }

  #kiosk(row: DeviceRow): void {
    const kiosk = row.device_id;
    const online = row.state === "online";
    this.#online.set({ kiosk }, online ? 1 : 0);
    setIf(this.#lastSeen, { kiosk }, seconds(row.last_seen_at));
    setIf(this.#telemetryAt, { kiosk }, seconds(row.telemetry_at));
    const parsed = telemetrySchema.safeParse(row.telemetry);
    const telemetry: Telemetry | null = parsed.success ? parsed.data : null;
    if (!telemetry) return;
    const version = VERSION.test(telemetry.softwareVersion) ? telemetry.softwareVersion : "invalid";
    this.#info.set({ kiosk, version }, 1);
    if (!online) return;
    this.#outboxRecords.set({ kiosk }, telemetry.outbox.depth);
    setIf(this.#outboxOldest, { kiosk }, telemetry.outbox.oldestUnsyncedAgeSeconds);
    for (const [device, health] of Object.entries(telemetry.drivers)) {
      if (!DEVICE_NAME.test(device)) continue;
      this.#deviceUp.set({ kiosk, device }, UP_STATUSES.has(health.status) ? 1 : 0);
      this.#deviceStatus.set({ kiosk, device, status: health.status }, 1);
    }
    if (telemetry.lock) this.#locked.set({ kiosk }, telemetry.lock.locked ? 1 : 0);
    this.#uptime.set({ kiosk }, telemetry.uptimeSeconds);
    setIf(this.#diskFree, { kiosk }, telemetry.disk.freeBytes);
    setIf(this.#diskSize, { kiosk }, telemetry.disk.totalBytes ?? null);
    const host = telemetry.host;
    if (!host) return;
    setIf(this.#temperature, { kiosk }, host.cpuTemperatureCelsius);
    if (host.throttled !== null) {
      const flags = decodeThrottled(host.throttled);
      for (const flag of Object.keys(THROTTLE_BITS) as ThrottleFlag[]) {
        this.#throttled.set({ kiosk, flag }, flags[flag] ? 1 : 0);
      }
    }
    setIf(this.#memoryAvailable, { kiosk }, host.memory?.availableBytes ?? null);
    setIf(this.#memoryTotal, { kiosk }, host.memory?.totalBytes ?? null);
  }
}

/** Absent stays absent: a value the kiosk did not report is not exported (never as 0). */
function setIf<T extends string>(gauge: Gauge<T>, labels: Labels<T>, value: number | null): void {
  if (value !== null) gauge.set(labels, value);
}
