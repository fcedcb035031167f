/** The page's CSS: a light dashboard look (cards on grey), readable in print too. */
export const PAGE_STYLE = `
:root {
  --bg: #f3f5f9; --card: #fff; --ink: #1b2333; --ink-2: #4a5568; --muted: #7a8599;
  --line: #e3e8ef; --head: #0f1b2d; --head-2: #1d2b45;
  --ref: #8e9bb0; --cur: #2563eb;
  --good: #12805c; --good-bg: #e3f6ee; --bad: #c53030; --bad-bg: #fdecec;
  --warn: #b45309; --warn-bg: #fff4e0; --info: #1d4ed8; --info-bg: #eaf1ff;
  --radius: 10px;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f1f4f8;
  padding: 1px 5px; border-radius: 4px; }
.wrap { max-width: 1240px; margin: 0 auto; padding: 0 28px; }
main.wrap { padding-bottom: 48px; }

.page-head { background: linear-gradient(135deg, var(--head), var(--head-2)); color: #e8edf5;
  padding: 26px 0 30px; }
.eyebrow { text-transform: uppercase; letter-spacing: .12em; font-size: 11px; color: #8fa3c4; }
.page-head h1 { margin: 6px 0 8px; font-size: 24px; font-weight: 650; color: #fff; overflow-wrap: anywhere; }
.head-meta { display: flex; gap: 18px; flex-wrap: wrap; align-items: center; color: #b7c4d9; font-size: 13px; }
.model { background: rgba(255,255,255,.1); color: #fff; padding: 2px 10px; border-radius: 999px; font-weight: 600; }
.model .version { color: #9fb6dc; font-weight: 500; }
.sources { display: grid; grid-template-columns: 1fr auto 1fr; gap: 14px; margin-top: 20px; align-items: stretch; }
.source { background: rgba(255,255,255,.06); border: 1px solid rgba(255,255,255,.1); border-radius: var(--radius);
  padding: 12px 16px; min-width: 0; }
.source-label { font-size: 11px; text-transform: uppercase; letter-spacing: .1em; color: #9fb0cb;
  display: flex; align-items: center; gap: 8px; }
.swatch { width: 10px; height: 10px; border-radius: 3px; background: var(--ref); display: inline-block; }
.source.current .swatch { background: #5b8cff; }
.source-uri { font: 600 14px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #fff;
  margin-top: 4px; overflow-wrap: anywhere; }
.source-meta { color: #c9d4e5; font-size: 13px; margin-top: 2px; }
.source-desc { color: #93a4bf; font-size: 12.5px; margin-top: 2px; }
.vs { align-self: center; color: #7f93b4; font-size: 12px; text-transform: uppercase; letter-spacing: .1em; }

.callout { margin: 22px 0 0; border-radius: var(--radius); padding: 12px 16px 12px 18px; border: 1px solid;
  border-left-width: 4px; }
.callout.info { background: var(--info-bg); border-color: #c5d7fb; border-left-color: var(--info); }
.callout.warn { background: var(--warn-bg); border-color: #f5d9a8; border-left-color: var(--warn); }
.card .callout { margin: 4px 0 14px; }
.callout-title { font-weight: 650; margin-bottom: 2px; }
.callout ul { margin: 0; padding-left: 20px; }
.callout li { margin: 3px 0; overflow-wrap: anywhere; }

.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 14px; margin: 22px 0; }
.stat { background: var(--card); border-radius: var(--radius); padding: 14px 16px; border: 1px solid var(--line);
  border-top: 3px solid var(--muted); box-shadow: 0 1px 2px rgba(16,24,40,.04); min-width: 0; }
.stat.good { border-top-color: var(--good); } .stat.bad { border-top-color: var(--bad); }
.stat.warn { border-top-color: var(--warn); } .stat.muted { border-top-color: #c3cad6; }
.stat-label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; }
.stat-value { font-size: 22px; font-weight: 700; margin: 4px 0 2px; font-variant-numeric: tabular-nums; }
.stat.good .stat-value { color: var(--good); } .stat.bad .stat-value { color: var(--bad); }
.stat.warn .stat-value { color: var(--warn); } .stat.muted .stat-value { color: var(--ink-2); }
.stat-detail { font-size: 12.5px; color: var(--ink-2); overflow-wrap: anywhere; }

.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius);
  padding: 20px 22px 22px; margin: 0 0 18px; box-shadow: 0 1px 2px rgba(16,24,40,.04); }
.section-head { display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; margin-bottom: 10px; }
h2 { font-size: 18px; margin: 0; font-weight: 650; }
h3 { font-size: 14px; margin: 22px 0 8px; font-weight: 650; color: var(--ink); }
.sub { margin: 0; color: var(--ink-2); }
.hint { margin: 4px 0 8px; color: var(--muted); font-size: 12.5px; }
.empty { margin: 6px 0 0; padding: 18px; background: #f8fafc; border: 1px dashed #cfd6e1; border-radius: 8px;
  color: var(--ink-2); }

.table-scroll { overflow-x: auto; }
table.data { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: 8px 10px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
table.data thead th { font-size: 11.5px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  font-weight: 600; background: #f8fafc; vertical-align: bottom; }
table.data tbody tr:hover { background: #fafbfd; }
table.data .num { text-align: right; white-space: nowrap; }
table.data tr.row-drift td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
table.data tr.row-error td:first-child { box-shadow: inset 3px 0 0 var(--warn); }
table.data tr.total td { font-weight: 650; border-top: 2px solid var(--line); }
table.kv th { width: 120px; color: var(--muted); font-weight: 600; }
table.compare { max-width: 560px; }
table.compare tbody th { font-weight: 600; }
.col-name { font-weight: 600; overflow-wrap: break-word; min-width: 120px; max-width: 320px; }
.check-name { overflow-wrap: anywhere; }
.problem { font-weight: 400; color: var(--warn); font-size: 12.5px; margin-top: 2px; }
.muted { color: var(--muted); font-weight: 400; }
.small { font-size: 12px; }
.strong { font-weight: 650; }
.warn-text { color: var(--warn); } .bad-text { color: var(--bad); } .good-text { color: var(--good); }

.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600;
  white-space: nowrap; border: 1px solid transparent; }
.badge.good { color: var(--good); background: var(--good-bg); border-color: #bfe8d6; }
.badge.bad { color: var(--bad); background: var(--bad-bg); border-color: #f6c6c6; }
.badge.warn { color: var(--warn); background: var(--warn-bg); border-color: #f3d39c; }
.badge.muted { color: var(--ink-2); background: #eef1f5; }
.badge.info { color: var(--info); background: var(--info-bg); }

.chart { width: 100%; height: 220px; }
.chart.tall { height: 300px; }
.chart-block { margin: 6px 0 12px; }
.dist-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 14px; }
.dist-card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 12px 4px; min-width: 0; }
.dist-head { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.dist-name { font-weight: 650; overflow-wrap: anywhere; }
.dist-sub { color: var(--muted); font-size: 12.5px; }
.split { display: grid; grid-template-columns: minmax(280px, 380px) 1fr; gap: 24px; align-items: start; }
.chart-fallback { color: var(--muted); font-size: 12.5px; padding: 12px; }

footer { color: var(--muted); font-size: 12px; text-align: center; padding: 10px 0 30px; }
@media (max-width: 760px) {
  .sources, .split { grid-template-columns: 1fr; }
  .vs { display: none; }
}
@media print {
  body { background: #fff; }
  .card, .stat { box-shadow: none; break-inside: avoid; }
}
`;
