/**
 * The HTML report's stylesheet, inlined so the file opens anywhere with no network. Colors are
 * custom properties swapped by prefers-color-scheme; text colors keep WCAG AA contrast on both.
 */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --surface: #ffffff; --text: #161a21; --muted: #525a68; --border: #dde1e8;
  --accent: #2f59cf; --accent-soft: #e8eefc; --good: #0c6b37; --warn: #a84c07; --warn-fill: #d9730d;
  --high-bg: #dff3e7; --high-fg: #0b5e30; --medium-bg: #fcefd9; --medium-fg: #7e4305;
  --low-bg: #eceef2; --low-fg: #3d4450; --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 1px 3px rgba(16, 24, 40, .08);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1116; --surface: #171b22; --text: #e7e9ee; --muted: #a4acb9; --border: #2b313c;
    --accent: #7fa4ff; --accent-soft: #1d2740; --good: #5fd38d; --warn: #f3a44b; --warn-fill: #f08c2e;
    --high-bg: #113220; --high-fg: #8ee6b0; --medium-bg: #3a2910; --medium-fg: #fbcd7a;
    --low-bg: #252a33; --low-fg: #c5cbd5; --shadow: none;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text); line-height: 1.5; font-size: 15px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
}
main { max-width: 1080px; margin: 0 auto; padding: 32px 24px 64px; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h1 { font-size: 28px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 40px 0 14px; }
h3 { font-size: 16px; }
p { margin: 0 0 10px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; font-weight: 600; color: var(--accent); margin-bottom: 6px; }
.subtitle { color: var(--muted); margin-top: 6px; }
.subtitle.warn { color: var(--warn); font-weight: 600; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 14px; margin-top: 24px; }
.stat { background: var(--surface); border: 1px solid var(--border); border-radius: 12px; padding: 16px 18px; box-shadow: var(--shadow); }
.stat.primary { background: var(--accent-soft); border-color: transparent; }
.stat .label { color: var(--muted); font-size: 13px; font-weight: 500; }
.stat .value { font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; margin: 4px 0 2px; }
.stat .note { color: var(--muted); font-size: 13px; }
.stat .value.good { color: var(--good); }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 14px; }
.panel { background: var(--surface); border: 1px solid var(--border); border-radius: 12px; padding: 16px 18px; box-shadow: var(--shadow); min-width: 0; }
.panel h3 { margin-bottom: 10px; }
.panel h3.spaced { margin-top: 18px; }
.chart { width: 100%; height: auto; display: block; overflow: visible; }
.chart text { font-size: 12px; fill: var(--text); }
.chart .tick { fill: var(--muted); font-size: 11px; }
.chart .bar { fill: var(--accent); }
.chart .bar.spike { fill: var(--warn-fill); }
.chart .track { fill: var(--bg); }
.chart .tick.spike { fill: var(--warn); font-weight: 600; }
.chart .value { fill: var(--muted); font-variant-numeric: tabular-nums; }
.chart .grid { stroke: var(--border); stroke-dasharray: 3 3; }
.chart .axis { stroke: var(--muted); }
.legend { display: flex; gap: 16px; color: var(--muted); font-size: 13px; margin-top: 8px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; background: var(--accent); }
.swatch.spike { background: var(--warn-fill); }
.findings, .stack { display: grid; gap: 14px; }
.finding { background: var(--surface); border: 1px solid var(--border); border-radius: 12px; padding: 18px 20px; box-shadow: var(--shadow); }
.finding.one-off { border-left: 4px solid var(--warn-fill); }
.finding-head { display: flex; gap: 12px; align-items: flex-start; justify-content: space-between; }
.finding-head h3 { flex: 1; overflow-wrap: anywhere; }
.saving { font-size: 20px; font-weight: 700; white-space: nowrap; font-variant-numeric: tabular-nums; color: var(--good); text-align: right; }
.saving.one-off { color: var(--warn); }
.saving small { display: block; font-size: 12px; font-weight: 500; color: var(--muted); }
.tags { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 12px; font-size: 12px; }
.tag, .badge { display: inline-block; padding: 2px 9px; border-radius: 999px; font-weight: 600; }
.tag { background: var(--bg); color: var(--muted); border: 1px solid var(--border); font-weight: 500; }
.badge.high { background: var(--high-bg); color: var(--high-fg); }
.badge.medium { background: var(--medium-bg); color: var(--medium-fg); }
.badge.low { background: var(--low-bg); color: var(--low-fg); }
.detail { overflow-wrap: anywhere; }
.action { border-left: 3px solid var(--accent); padding: 4px 0 4px 12px; margin: 12px 0; overflow-wrap: anywhere; }
.action strong { display: block; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--accent); }
details { margin-top: 10px; }
summary { cursor: pointer; color: var(--muted); font-size: 13px; font-weight: 500; }
summary:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; border-radius: 4px; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 13px; margin-top: 8px; }
caption { text-align: left; font-weight: 600; font-size: 14px; padding-bottom: 6px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--border); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
tbody th { color: var(--text); font-weight: 500; font-size: 13px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.file { overflow-wrap: anywhere; }
tfoot td { font-weight: 600; border-bottom: none; }
.more { color: var(--muted); font-size: 13px; margin-top: 6px; }
.roi { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 14px; }
dl.facts { display: grid; grid-template-columns: auto auto; gap: 6px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
ul.notes { margin: 0; padding-left: 20px; }
ul.notes li { margin-bottom: 6px; overflow-wrap: anywhere; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.empty { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; margin-top: 48px; border-top: 1px solid var(--border); padding-top: 14px; }
@media print {
  body { background: #fff; color: #000; }
  .stat, .panel, .finding { box-shadow: none; break-inside: avoid; }
}
`;
