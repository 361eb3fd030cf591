import type { Studio } from "../fleet/day-queries.js";
import type { DayLine, DayReport, DaySection } from "../fleet/day-report.js";
import { displayAmount } from "../fleet/money-text.js";
import { html, type SafeHtml } from "../html.js";
import { layout, type Notice, type Viewer } from "../view/layout.js";

type Column = readonly [key: keyof DayLine, label: string];

/** Each section's table: which of the line's cells it shows (the CSV has them all). */
const SECTIONS: readonly (readonly [DaySection, string, readonly Column[]])[] = [
  [
    "by method",
    "Totals by method",
    [
      ["method", "Method"],
      ["detail", "Type"],
      ["records", "Records"],
      ["amountMinor", "Net"],
    ],
  ],
  [
    "by kiosk",
    "Totals by kiosk",
    [
      ["kiosk", "Kiosk"],
      ["records", "Records"],
      ["amountMinor", "Net"],
    ],
  ],
  [
    "drawer count",
    "Drawer counts",
    [
      ["kiosk", "Kiosk"],
      ["time", "Counted"],
      ["staff", "By"],
      ["detail", "Count"],
      ["amountMinor", "Over/short"],
    ],
  ],
  [
    "over/short",
    "Cash over/short for the day",
    [
      ["records", "Shifts counted"],
      ["detail", ""],
      ["amountMinor", "Over/short"],
    ],
  ],
  [
    "day closed",
    "Which kiosks closed their day",
    [
      ["kiosk", "Kiosk"],
      ["detail", "Z report"],
      ["time", "Closed"],
      ["staff", "By"],
      ["amountMinor", "Net on the Z report"],
    ],
  ],
  [
    "payment",
    "Payments and refunds",
    [
      ["time", "Created"],
      ["kiosk", "Kiosk"],
      ["method", "Method"],
      ["staff", "Staff"],
      ["detail", "Record"],
      ["amountMinor", "Amount"],
    ],
  ],
];

/** A line's cell as the page shows it: money grouped with its currency, the rest as it is. */
export function dayCellText(line: DayLine, key: keyof DayLine): string {
  if (key === "amountMinor")
    return line.amountMinor === null ? "" : displayAmount(line.amountMinor, line.currency);
  const value = line[key];
  return value === null ? "" : String(value);
}

const table = (lines: readonly DayLine[], section: DaySection, columns: readonly Column[]): SafeHtml => {
  const rows = lines.filter((line) => line.section === section);
  if (rows.length === 0) return html`<p class="muted" data-test="empty" data-section="${section}">None.</p>`;
  return html`<table data-test="day-table" data-section="${section}">
<thead><tr>${columns.map(([key, label]) => html`<th${key === "amountMinor" || key === "records" ? html` class="num"` : html``}>${label}</th>`)}<th></th></tr></thead>
<tbody>${rows.map(
    (line) =>
      html`<tr data-test="day-line" data-section="${section}"${line.detail === "not closed" ? html` class="warn-row"` : html``}>${columns.map(
        ([key]) =>
          html`<td data-col="${key}"${key === "amountMinor" || key === "records" ? html` class="num"` : html``}>${dayCellText(line, key)}</td>`,
      )}<td>${line.link ? html`<a href="${line.link}" data-test="payments-link">payments</a>` : html``}</td></tr>`,
  )}</tbody></table>`;
};

/** The end of a studio's day: what it took, by method and kiosk, the cash over/short, who closed. */
export function endOfDayPage(options: {
  viewer: Viewer;
  studios: readonly Studio[];
  studio: string | null;
  date: string;
  report: DayReport | null;
  notice?: Notice | null;
}): SafeHtml {
  const { report } = options;
  const picker = html`<section class="card"><form method="get" action="/end-of-day" class="filters" data-test="day-picker">
  <div><label for="d-studio">Studio</label><select id="d-studio" name="studio">${options.studios.map(
    (studio) =>
      html`<option${studio.name === options.studio ? html` selected` : html``}>${studio.name}</option>`,
  )}</select></div>
  <div><label for="d-date">Day</label><input id="d-date" type="date" name="date" value="${options.date}"></div>
  <button type="submit" data-test="show-day">Show</button>
  ${
    report
      ? html`<a href="/end-of-day.csv?${new URLSearchParams({ studio: report.studio, date: report.date }).toString()}" data-test="day-csv" download>Export CSV</a>`
      : html``
  }
</form></section>`;
  const body = report
    ? html`<h1>End of day · <span data-test="day-studio">${report.studio}</span> · ${report.date}</h1>
${picker}
<p class="muted small" data-test="day-zone">Times in the studio's time zone, ${report.timeZone}. Totals count completed payments less completed refunds with this payment date; drawer counts and Z reports are those taken on this day.</p>
<p data-test="closed-summary">${
        report.notClosed.length === 0
          ? html`<span class="badge ok">every kiosk closed its day</span>`
          : html`<span class="badge bad">not closed: ${report.notClosed.join(", ")}</span>`
      }</p>
${SECTIONS.map(([section, title, columns]) => html`<section class="card"><h2>${title}</h2>${table(report.lines, section, columns)}</section>`)}`
    : html`<h1>End of day</h1>${picker}<p class="muted">${
        options.studios.length === 0
          ? "No kiosk has reported its studio yet (kiosks report it with their configuration when they connect)."
          : "Choose a studio and a day."
      }</p>`;
  return layout({
    title: "End of day",
    viewer: options.viewer,
    section: "end-of-day",
    body,
    notice: options.notice ?? null,
  });
}
