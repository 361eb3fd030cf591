import { statfs } from "node:fs/promises";
import type { Clock } from "../../core/clock.js";
import type { LockState } from "../../store/kiosk-lock.js";
import type { Outbox } from "../../store/outbox.js";
import type { HostHealth } from "../protocol/host-health.js";
import type { DriverHealth, Telemetry } from "../protocol/messages.js";

/** Supplied by the drivers (issue #3): each device's health by name. */
export interface DriverHealthSource {
  health(): Readonly<Record<string, DriverHealth>>;
}

export const NO_DRIVERS: DriverHealthSource = { health: () => ({}) };

export interface TelemetryDeps {
  readonly outbox: Outbox;
  readonly drivers: DriverHealthSource;
  readonly dataDir: string;
  readonly softwareVersion: string;
  readonly clock: Clock;
  readonly lastSyncAt: () => string | null;
  /** The kiosk's lock, when the agent runs beside a store that has one. */
  readonly lock?: () => LockState;
  /** The computer's own health (host-health/read-host-health.ts); none: not reported. */
  readonly host?: () => Promise<HostHealth>;
}

/** Free space (for an unprivileged user, as the kiosk is) and the size of the data directory's disk. */
async function diskSpace(path: string): Promise<Telemetry["disk"]> {
  try {
    const stats = await statfs(path);
    return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
  } catch {
    return { freeBytes: null, totalBytes: null };
  }
}

/** One telemetry report. Uptime is the process's, so a restart loop shows as a small number. */
export async function collectTelemetry(deps: TelemetryDeps): Promise<Telemetry> {
  const now = deps.clock.now();
  const { depth, oldestCreatedAt } = deps.outbox.depth();
  const oldest = oldestCreatedAt === null ? null : Date.parse(oldestCreatedAt);
  return {
    softwareVersion: deps.softwareVersion,
    uptimeSeconds: Math.floor(process.uptime()),
    outbox: {
      depth,
      oldestUnsyncedAgeSeconds:
        oldest === null || Number.isNaN(oldest)
          ? null
          : Math.max(0, Math.floor((now.getTime() - oldest) / 1000)),
    },
    drivers: deps.drivers.health(),
    disk: await diskSpace(deps.dataDir),
    ...(deps.host ? { host: await deps.host() } : {}),
    lastSyncAt: deps.lastSyncAt(),
    ...(deps.lock ? { lock: lockReport(deps.lock()) } : {}),
  };
}

function lockReport(state: LockState): NonNullable<Telemetry["lock"]> {
  return state.locked
    ? { locked: true, reason: state.reason.slice(0, 200), by: state.by.slice(0, 120) }
    : { locked: false, reason: null, by: null };
}
