/** The dashboard's one style sheet, served at /dashboard.css (no inline styles: the CSP forbids them). */
export const STYLES = `
:root { --ink: #1d2430; --muted: #5d6776; --line: #d8dde5; --bg: #f5f7fa; --card: #fff;
  --ok: #1f7a3d; --ok-bg: #e3f4e8; --bad: #b3261e; --bad-bg: #fbe6e4; --warn: #8a5a00; --warn-bg: #fff2d6;
  --info: #1d4f91; --info-bg: #e4edfa; --accent: #2857a4; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 24px; padding: 10px 24px; background: #1d2430; color: #fff; }
header.top .brand { font-weight: 700; letter-spacing: .02em; }
header.top nav { display: flex; flex-wrap: wrap; gap: 4px; flex: 1; }
header.top nav a { color: #c9d3e3; text-decoration: none; padding: 6px 10px; border-radius: 6px; }
header.top nav a[aria-current="page"], header.top nav a:hover { background: #34405a; color: #fff; }
header.top .who { display: flex; align-items: center; gap: 10px; color: #c9d3e3; }
header.top .who button { background: transparent; color: #fff; border: 1px solid #56627a; }
main { padding: 20px 24px 48px; max-width: 1280px; margin: 0 auto; }
h1 { font-size: 22px; margin: 4px 0 16px; display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
h2 { font-size: 16px; margin: 0 0 10px; }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin-bottom: 18px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(320px, 100%), 1fr)); gap: 18px; margin-bottom: 18px; }
.grid > section.card { margin-bottom: 0; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 7px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:last-child td { border-bottom: none; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.small { font-size: 12px; }
code, pre, textarea { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
pre { background: #f0f3f7; padding: 10px; border-radius: 6px; overflow: auto; max-height: 320px; margin: 6px 0 0; white-space: pre-wrap; word-break: break-word; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.ok { background: var(--ok-bg); color: var(--ok); }
.badge.bad { background: var(--bad-bg); color: var(--bad); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.info { background: var(--info-bg); color: var(--info); }
.badge.none { background: #eceff3; color: var(--muted); }
tr.warn-row td { background: var(--warn-bg); }
tr.stale td { background: #f7f8fa; }
.as-of { white-space: nowrap; }
.flags { display: flex; flex-wrap: wrap; gap: 4px; }
.notice { padding: 10px 14px; border-radius: 8px; margin-bottom: 16px; border: 1px solid; }
.notice.error { background: var(--bad-bg); color: var(--bad); border-color: #f0c2bd; }
td.bad { color: var(--bad); }
.notice.ok { background: var(--ok-bg); color: var(--ok); border-color: #bfe3ca; }
.notice.warn { background: var(--warn-bg); color: var(--warn); border-color: #f1d9a4; }
.summary { display: flex; gap: 12px; margin-bottom: 16px; flex-wrap: wrap; }
.summary .tile { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 16px; min-width: 130px; }
.summary .tile b { display: block; font-size: 22px; }
a.tile { color: inherit; text-decoration: none; }
.summary .tile b.alerting { color: var(--bad); }
form.inline { display: inline; }
.commands { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; }
.commands form { display: flex; flex-wrap: wrap; max-width: 100%; gap: 6px; align-items: flex-end; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
label { display: block; font-size: 12px; color: var(--muted); margin-bottom: 3px; }
input, select, textarea { font: inherit; padding: 6px 8px; border: 1px solid #b9c1cd; border-radius: 6px; background: #fff; color: var(--ink); }
textarea { width: 100%; min-height: 180px; }
input { max-width: 100%; }
.table-scroll { overflow-x: auto; max-width: 100%; }
@media (max-width: 640px) {
  table.stack thead { display: none; }
  table.stack tr { display: block; padding: 6px 0; border-bottom: 1px solid var(--line); }
  table.stack td { display: block; border: none; padding: 2px 4px; }
}
button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
.confirm { max-width: 640px; }
.actions { display: flex; gap: 10px; margin-top: 14px; align-items: center; }
.signin { max-width: 360px; margin: 80px auto; }
.signin input { width: 100%; margin-bottom: 12px; }
figure.chart { margin: 0; }
figure.chart figcaption { margin-bottom: 4px; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart text { font: 12px system-ui, sans-serif; fill: #5d6776; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(520px, 100%), 1fr)); gap: 18px 24px; }
td a, td .badge, td.small { white-space: nowrap; }
h1 code { font-size: .9em; }
.range a { margin-right: 8px; }
.range a[aria-current="true"] { font-weight: 700; text-decoration: none; color: var(--ink); }
details summary { cursor: pointer; color: var(--accent); }
section.card { overflow-x: auto; }
.filters + table { margin-top: 12px; }
.letters pre { white-space: pre-wrap; word-break: break-all; max-height: 240px; overflow: auto; }
.letter-action { display: flex; flex-wrap: wrap; gap: 6px; align-items: flex-end; margin-top: 8px; }
.letter-action label { flex-basis: 100%; margin: 0; }
.letter-action input { flex: 1 1 140px; min-width: 0; }
table.letters td { overflow-wrap: anywhere; }
table.letters td.record { white-space: normal; max-width: 170px; }
td.resolution { width: 230px; }
/* A wide table scrolls inside its card on a phone; the page itself never scrolls sideways. */
.table-scroll { overflow-x: auto; position: relative; }
/* The audit log fits 1280 px: fixed columns, long values wrap inside their cell. */
table.audit { table-layout: fixed; min-width: 900px; }
table.audit col.when { width: 13%; }
table.audit col.who { width: 12%; }
table.audit col.action { width: 10%; }
table.audit col.kiosk { width: 15%; }
table.audit col.delivery { width: 13%; }
table.audit td { overflow-wrap: anywhere; }
table.audit td a, table.audit td.small { white-space: normal; }
code.wrap { white-space: pre-wrap; overflow-wrap: anywhere; }
details.detail pre { max-height: 240px; }
table.users td form.row-form { display: flex; gap: 6px; align-items: center; margin: 0; }
table.roles { margin-top: 14px; width: auto; }
table.roles th { text-transform: none; font-size: 13px; color: var(--ink); padding-right: 16px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.scroll { overflow-x: auto; }
th a { color: inherit; text-decoration: none; }
th[aria-sort] a { color: var(--ink); }
.flags a.badge { text-decoration: none; }
.placement { display: grid; grid-template-columns: 1fr 1fr auto; gap: 10px; align-items: end; }
.placement input { width: 100%; }
.group-list { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 14px; }
.group-list a { text-decoration: none; }
@media (max-width: 720px) {
  header.top { flex-wrap: wrap; gap: 6px 16px; padding: 8px 12px; }
  header.top nav { flex-wrap: wrap; flex-basis: 100%; order: 3; }
  main { padding: 12px 10px 32px; }
  .charts { grid-template-columns: 1fr; }
  table.letters, table.letters tbody { display: block; }
  table.letters thead { display: none; }
  table.letters tr { display: block; border-bottom: 1px solid var(--line); padding: 6px 0; }
  table.letters td { display: block; border: none; padding: 3px 0; white-space: normal; overflow-wrap: anywhere; }
  table.letters td * { white-space: normal; overflow-wrap: anywhere; }
  td.resolution { min-width: 0; }
  .filters > div, .filters input { max-width: 100%; }
  section.card { padding: 12px; }
  .filters select { width: 100%; }
  .placement { grid-template-columns: 1fr; }
  .summary .tile { min-width: 0; flex: 1 1 40%; }
}
`;
