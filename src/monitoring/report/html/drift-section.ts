import type { ColumnDrift, ColumnSideSummary } from '../../drift/drift-types.js';
import type { MonitorReport } from '../report-types.js';
import { badge, esc, int, num, pct, plural } from './format.js';

/** Per-column results: a score chart, the table, and one distribution overlay per column. */
export function driftSection(report: MonitorReport): string {
  const d = report.dataDrift;
  const rows = d.columns.map(driftRow).join('\n');
  const cards = d.columns
    .map((c, i) => (c.distribution ? distributionCard(c, `data-column="${i}"`) : ''))
    .join('\n');
  const undrawn = d.columns.filter((c) => !c.distribution).map((c) => c.column);
  const undrawnNote =
    undrawn.length > 0
      ? `<p class="hint">Not drawn (no values on one side): ${undrawn.map((c) => `<code>${esc(c)}</code>`).join(', ')}.</p>`
      : '';
  const scored = d.columns.filter((c) => c.status === 'ok').length;
  const chart =
    scored > 0
      ? `<div class="chart-block">
      <h3>Drift score by column</h3>
      <p class="hint">Each score relative to its test's threshold: distance ÷ threshold, or for p-value tests log p ÷ log threshold. Bars past the line at 1 are drifted.</p>
      <div class="chart" data-chart="drift-scores" style="height:${60 + 30 * scored}px"></div>
    </div>`
      : '';
  return `<section class="card" id="data-drift">
    <div class="section-head">
      <h2>Data drift</h2>
      <p class="sub">${esc(headline(d))}</p>
    </div>
    ${chart}
    <div class="table-scroll"><table class="data">
      <thead><tr><th>Column</th><th>Type</th><th>Test</th><th class="num">Score</th><th class="num">Threshold</th><th>Result</th><th class="num">Reference</th><th class="num">Current</th></tr></thead>
      <tbody>
${rows}
      </tbody>
    </table></div>
    ${
      cards.trim() === ''
        ? ''
        : `<h3>Distributions: reference vs current</h3>
    <div class="dist-grid">
${cards}
    </div>`
    }
    ${undrawnNote}
  </section>`;
}

function headline(d: MonitorReport['dataDrift']): string {
  if (d.testedColumns === 0)
    return 'No column could be tested: dataset drift is unknown (see why below).';
  return `${int(d.driftedColumns)} of ${plural(d.testedColumns, 'tested column')} drifted (${pct(d.driftedShare)}); the dataset drifts when ${pct(d.driftShare)} or more do.`;
}

/** The prediction's drift (now vs the package's holdout predictions), when the report has it. */
export function predictionSection(report: MonitorReport): string {
  const p = report.predictionDrift;
  if (!p) return '';
  return `<section class="card" id="prediction-drift">
    <div class="section-head">
      <h2>Prediction drift</h2>
      <p class="sub">Predictions served in the current window against the holdout predictions stored with the model.</p>
    </div>
    <div class="split">
      <table class="data kv">
        <tbody>
          <tr><th>Column</th><td>${esc(p.column)}</td></tr>
          <tr><th>Test</th><td>${testCell(p)}</td></tr>
          <tr><th>Score</th><td>${esc(num(p.score))}</td></tr>
          <tr><th>Threshold</th><td>${esc(num(p.threshold))}</td></tr>
          <tr><th>Result</th><td>${resultBadge(p)}${problemText(p)}</td></tr>
          <tr><th>Reference</th><td>${sideCell(p.reference)}</td></tr>
          <tr><th>Current</th><td>${sideCell(p.current)}</td></tr>
        </tbody>
      </table>
      ${p.distribution ? `<div class="chart tall" data-chart="prediction"></div>` : `<p class="hint">No distribution to draw.</p>`}
    </div>
  </section>`;
}

function driftRow(c: ColumnDrift): string {
  return `        <tr class="${c.status === 'error' ? 'row-error' : c.drifted ? 'row-drift' : ''}">
          <td class="col-name">${esc(c.column)}${problemText(c)}</td>
          <td>${esc(c.kind)}</td>
          <td>${testCell(c)}</td>
          <td class="num">${esc(num(c.score))}</td>
          <td class="num">${esc(num(c.threshold))}</td>
          <td>${resultBadge(c)}</td>
          <td class="num">${sideCell(c.reference)}</td>
          <td class="num">${sideCell(c.current)}</td>
        </tr>`;
}

function testCell(c: ColumnDrift): string {
  const kind = c.scoreKind === 'p_value' ? 'p-value' : 'distance';
  const why = c.selectedBy === 'default' ? '' : ` · set by ${c.selectedBy}`;
  return `${esc(c.test)}<div class="muted small">${esc(kind + why)}</div>`;
}

function resultBadge(c: ColumnDrift): string {
  if (c.status === 'error') return badge('not tested', 'warn');
  return c.drifted ? badge('drift', 'bad') : badge('no drift', 'good');
}

function problemText(c: ColumnDrift): string {
  return c.problem ? `<div class="problem">${esc(c.problem)}</div>` : '';
}

/** Mean ± sd for numbers, the number of categories otherwise, over the row count. */
function sideCell(s: ColumnSideSummary): string {
  const main =
    s.mean !== undefined && s.std !== undefined
      ? `${num(s.mean)} ± ${num(s.std)}`
      : s.rows - s.missing > 0
        ? plural(s.distinct, 'value')
        : 'no values';
  const missing = s.missing > 0 ? `, ${int(s.missing)} missing` : '';
  return `${esc(main)}<div class="muted small">${esc(plural(s.rows, 'row') + missing)}</div>`;
}

function distributionCard(c: ColumnDrift, attribute: string): string {
  const p = c.scoreKind === 'p_value' ? 'p = ' : '';
  const score =
    c.status === 'ok' ? `${c.test} ${p}${num(c.score)} · threshold ${num(c.threshold)}` : c.test;
  return `      <div class="dist-card">
        <div class="dist-head"><span class="dist-name">${esc(c.column)}</span>${resultBadge(c)}</div>
        <div class="dist-sub">${esc(score)}</div>
        <div class="chart" data-chart="distribution" ${attribute}></div>
      </div>`;
}
