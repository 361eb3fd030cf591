import { html, type SafeHtml, trusted } from "../html.js";

export interface ChartPoint {
  readonly at: number;
  readonly value: number | null;
}

const WIDTH = 600;
const HEIGHT = 170;
const PLOT = { left: 76, right: 590, top: 14, bottom: 138 } as const;

const round = (value: number): string => (Math.round(value * 10) / 10).toString();

function timeLabel(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 2 * 86_400_000 ? iso.slice(5, 10) : iso.slice(11, 16);
}

/**
 * A line chart as inline SVG, drawn on the server from numbers only: the line breaks where the
 * kiosk sent nothing for longer than `gapMs` (it was off or offline), so a gap is not drawn as a
 * straight line across it.
 */
export function lineChart(options: {
  title: string;
  testId: string;
  from: number;
  to: number;
  gapMs: number;
  points: readonly ChartPoint[];
  format: (value: number) => string;
}): SafeHtml {
  const { from, to, points } = options;
  const values = points.flatMap((point) => (point.value === null ? [] : [point.value]));
  const top = Math.max(1, ...values);
  const x = (at: number): number =>
    PLOT.left +
    ((Math.min(Math.max(at, from), to) - from) / Math.max(1, to - from)) * (PLOT.right - PLOT.left);
  const y = (value: number): number => PLOT.bottom - (value / top) * (PLOT.bottom - PLOT.top);
  const segments: string[] = [];
  const dots: string[] = [];
  let current: string[] = [];
  let previous: ChartPoint | null = null;
  const close = (): void => {
    if (current.length > 1) segments.push(`M${current.join(" L")}`);
    else if (current.length === 1) dots.push(current[0] as string);
    current = [];
  };
  for (const point of points) {
    if (point.value === null || (previous && point.at - previous.at > options.gapMs)) close();
    if (point.value !== null) current.push(`${round(x(point.at))},${round(y(point.value))}`);
    previous = point;
  }
  close();
  const latest = [...points].reverse().find((point) => point.value !== null);
  const span = to - from;
  const ticks = [from, from + span / 2, to];
  return html`<figure class="chart" data-test="${options.testId}" data-points="${values.length}">
<figcaption><b>${options.title}</b> <span class="muted small">latest ${latest?.value != null ? options.format(latest.value) : "—"} · max ${values.length ? options.format(Math.max(...values)) : "—"}</span></figcaption>
<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${options.title}">
  <line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#c4ccd8"/>
  <line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.right}" y2="${PLOT.top}" stroke="#eef1f5"/>
  <text x="${PLOT.left - 6}" y="${PLOT.top + 4}" text-anchor="end">${options.format(top)}</text>
  <text x="${PLOT.left - 6}" y="${PLOT.bottom + 4}" text-anchor="end">${options.format(0)}</text>
  ${ticks.map(
    (tick, index) =>
      html`<text x="${round(x(tick))}" y="${HEIGHT - 14}" text-anchor="${index === 0 ? "start" : index === 2 ? "end" : "middle"}">${timeLabel(tick, span)}</text>`,
  )}
  ${segments.map((d) => html`<path d="${trusted(d)}" fill="none" stroke="#2857a4" stroke-width="2" stroke-linejoin="round"/>`)}
  ${dots.map((dot) => {
    const [cx, cy] = dot.split(",");
    return html`<circle cx="${cx}" cy="${cy}" r="3" fill="#2857a4"/>`;
  })}
  ${values.length === 0 ? html`<text x="${(PLOT.left + PLOT.right) / 2}" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle">no telemetry in this range</text>` : html``}
</svg>
</figure>`;
}

const STATUS_COLOURS: Record<string, string> = {
  connected: "#2f9e57",
  simulated: "#7bc497",
  disabled: "#c4ccd8",
  disconnected: "#d9822b",
  "paper-out": "#d9822b",
  error: "#c8372d",
};

/** Device names need more room than the line charts' axis labels. */
const STRIP_LEFT = 92;

export interface HealthPoint {
  readonly at: number;
  readonly drivers: Readonly<Record<string, { status: string }>>;
}

const HEALTH_LEGEND =
  "green connected · light green simulated · orange disconnected or paper out · red error · grey nothing reported";

/**
 * Each device's reported health over time: one coloured band per device, grey where nothing came.
 * With another title, colours and legend it draws any named states over time (throttling flags).
 */
export function healthStrip(options: {
  from: number;
  to: number;
  bucketMs: number;
  points: readonly HealthPoint[];
  title?: string;
  testId?: string;
  colours?: Readonly<Record<string, string>>;
  legend?: string;
}): SafeHtml {
  const title = options.title ?? "Device health";
  const colours = options.colours ?? STATUS_COLOURS;
  const devices = [...new Set(options.points.flatMap((point) => Object.keys(point.drivers)))].sort();
  if (devices.length === 0) return html`<p class="muted">No ${title.toLowerCase()} in this range.</p>`;
  const rowHeight = 20;
  const height = devices.length * (rowHeight + 6) + 22;
  const x = (at: number): number =>
    STRIP_LEFT + ((at - options.from) / Math.max(1, options.to - options.from)) * (PLOT.right - STRIP_LEFT);
  const width = Math.max(1.5, x(options.from + options.bucketMs) - x(options.from));
  return html`<figure class="chart" data-test="${options.testId ?? "health-strip"}">
<figcaption><b>${title}</b></figcaption>
<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${title} over time">
${devices.map((device, row) => {
  const top = row * (rowHeight + 6);
  return html`<text x="${STRIP_LEFT - 6}" y="${top + 14}" text-anchor="end">${device}</text>
<rect x="${STRIP_LEFT}" y="${top}" width="${PLOT.right - STRIP_LEFT}" height="${rowHeight}" fill="#f0f3f7"/>
${options.points.map((point) => {
  const status = point.drivers[device]?.status;
  if (!status || point.at < options.from) return html``;
  return html`<rect x="${round(x(point.at))}" y="${top}" width="${round(width)}" height="${rowHeight}" fill="${colours[status] ?? "#999"}"><title>${device}: ${status}</title></rect>`;
})}`;
})}
<text x="${STRIP_LEFT}" y="${height - 4}">${timeLabel(options.from, options.to - options.from)}</text>
<text x="${PLOT.right}" y="${height - 4}" text-anchor="end">${timeLabel(options.to, options.to - options.from)}</text>
</svg>
<p class="muted small">${options.legend ?? HEALTH_LEGEND}</p>
</figure>`;
}
