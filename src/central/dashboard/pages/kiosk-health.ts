import { decodeThrottled, THROTTLE_LABELS, type ThrottleFlag } from "../../../sync/protocol/host-health.js";
import type { KioskSummary } from "../fleet/fleet-queries.js";
import type { TelemetryPoint } from "../fleet/kiosk-queries.js";
import { html, type SafeHtml } from "../html.js";
import { asOfNote, isCurrent } from "../view/as-of.js";
import { healthStrip, lineChart } from "../view/charts.js";
import { formatBytes } from "../view/format.js";

export const formatCelsius = (value: number): string => `${(Math.round(value * 10) / 10).toFixed(1)} °C`;

/** The flags that say what holds now, then what happened since boot. */
const NOW: readonly ThrottleFlag[] = [
  "underVoltageNow",
  "throttledNow",
  "frequencyCappedNow",
  "softTempLimitNow",
];
const SINCE_BOOT: readonly ThrottleFlag[] = [
  "underVoltageSinceBoot",
  "throttledSinceBoot",
  "frequencyCappedSinceBoot",
  "softTempLimitSinceBoot",
];

function throttling(word: number | null): SafeHtml {
  if (word === null)
    return html`<span class="muted" data-test="throttling" data-value="absent">not reported (not a Raspberry Pi, or vcgencmd absent)</span>`;
  const flags = decodeThrottled(word);
  const set = [...NOW, ...SINCE_BOOT].filter((flag) => flags[flag]);
  const hex = `0x${word.toString(16)}`;
  if (set.length === 0)
    return html`<span class="badge ok" data-test="throttling" data-value="${hex}">none</span> <code class="small">${hex}</code>`;
  return html`<span class="flags" data-test="throttling" data-value="${hex}">${set.map(
    (flag) =>
      html`<span class="badge ${NOW.includes(flag) ? "bad" : "warn"}" data-test="throttle-flag" data-flag="${flag}">${THROTTLE_LABELS[flag]}</span>`,
  )} <code class="small">${hex}</code></span>`;
}

function share(part: number | null | undefined, whole: number | null | undefined): string {
  if (part == null || whole == null || whole <= 0) return formatBytes(part ?? null);
  return `${formatBytes(part)} of ${formatBytes(whole)} (${Math.round((part / whole) * 100)} %)`;
}

/** The kiosk's computer: board, OS, temperature, throttling, memory, disk and addresses. */
export function computerCard(kiosk: KioskSummary): SafeHtml {
  const t = kiosk.telemetry;
  const host = t?.host;
  const heading = html`<h2>Computer${asOfNote(kiosk)}</h2>`;
  if (!t || !host)
    return html`<section class="card" data-test="computer">${heading}<p class="muted">This kiosk has not reported its computer's health (software older than 0.2, or no telemetry yet).</p></section>`;
  const rows: [string, SafeHtml | string][] = [
    ["Board", host.model ?? "—"],
    ["OS", host.os ?? "—"],
    ["Kernel", host.kernel ?? "—"],
    ["Software", t.softwareVersion],
    [
      "CPU temperature",
      host.cpuTemperatureCelsius === null
        ? html`<span class="muted" data-test="cpu-temperature" data-value="absent">not reported</span>`
        : html`<span data-test="cpu-temperature" data-value="${host.cpuTemperatureCelsius}">${formatCelsius(host.cpuTemperatureCelsius)}</span>`,
    ],
    ["Throttling", throttling(host.throttled)],
    [
      "Memory available",
      host.memory ? share(host.memory.availableBytes, host.memory.totalBytes) : "not reported",
    ],
    ["Disk free", share(t.disk.freeBytes, t.disk.totalBytes)],
    [
      "Addresses",
      host.addresses.length === 0
        ? "none reported"
        : html`${host.addresses.map(
            (entry) =>
              html`<code data-test="address">${entry.address}</code> <span class="muted small">${entry.interface}</span><br>`,
          )}`,
    ],
  ];
  return html`<section class="card${isCurrent(kiosk) ? "" : " stale"}" data-test="computer">${heading}<table>${rows.map(
    ([label, value]) => html`<tr><th>${label}</th><td>${value}</td></tr>`,
  )}</table></section>`;
}

/** Short enough for the strip's row labels. */
const STRIP_LABELS: Partial<Record<ThrottleFlag, string>> = {
  underVoltageNow: "under-voltage",
  throttledNow: "throttled",
  frequencyCappedNow: "freq. capped",
  softTempLimitNow: "soft temp limit",
};

const FLAG_COLOURS = { no: "#2f9e57", yes: "#c8372d" } as const;

/** The computer's history: temperature, memory available, and the throttling flags over time. */
export function computerCharts(options: {
  from: number;
  to: number;
  gapMs: number;
  bucketMs: number;
  series: readonly TelemetryPoint[];
}): SafeHtml {
  const { from, to, gapMs, series } = options;
  const flagPoints = series.flatMap((point) => {
    if (point.throttled === null) return [];
    const flags = decodeThrottled(point.throttled);
    const rows: Record<string, { status: string }> = {};
    for (const flag of NOW) rows[STRIP_LABELS[flag] ?? flag] = { status: flags[flag] ? "yes" : "no" };
    return [{ at: point.at, drivers: rows }];
  });
  return html`${lineChart({
    title: "CPU temperature",
    testId: "chart-temperature",
    from,
    to,
    gapMs,
    points: series.map((point) => ({ at: point.at, value: point.cpuTemperatureCelsius })),
    format: formatCelsius,
  })}
${lineChart({
  title: "Memory available",
  testId: "chart-memory",
  from,
  to,
  gapMs,
  points: series.map((point) => ({ at: point.at, value: point.memoryAvailableBytes })),
  format: formatBytes,
})}
${healthStrip({
  from,
  to,
  bucketMs: options.bucketMs,
  points: flagPoints,
  title: "Throttling",
  testId: "throttle-strip",
  colours: FLAG_COLOURS,
  legend: "red: the firmware reported it in that interval · green: not · grey: nothing reported",
})}`;
}
