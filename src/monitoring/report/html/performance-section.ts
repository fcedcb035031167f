import type {
  RegressionPerformance,
  RegressionScores,
} from '../../performance/performance-types.js';
import type { MonitorReport } from '../report-types.js';
import { esc, int, num, pct, signed, time } from './format.js';
import { callout } from './header-section.js';

type Key = 'mae' | 'rmse' | 'mape' | 'skill';

/** Accuracy over time against the registered scores, or a plain "no feedback yet". */
export function performanceSection(report: MonitorReport): string {
  const p = report.performance;
  if (!p || p.overall.count === 0) {
    const unscored = p
      ? ` ${int(p.unscored)} served predictions are waiting for their actual values.`
      : '';
    return `<section class="card" id="performance">
    <div class="section-head"><h2>Performance</h2></div>
    <p class="empty">No feedback yet: accuracy appears here once actual values are posted for served predictions.${esc(unscored)}</p>
    ${problems(p)}
  </section>`;
  }
  const chart =
    p.windows.length > 0
      ? `<div class="chart-block">
      <h3>Error over time</h3>
      <p class="hint">MAE and RMSE per window; dashed lines are the scores recorded when the model was registered.</p>
      <div class="chart tall" data-chart="performance"></div>
    </div>`
      : '';
  return `<section class="card" id="performance">
    <div class="section-head">
      <h2>Performance</h2>
      <p class="sub">${esc(`${int(p.overall.count)} scored predictions${p.unscored > 0 ? `, ${int(p.unscored)} awaiting actual values` : ''}.`)}</p>
    </div>
    ${problems(p)}
    ${comparisonTable(p)}
    ${chart}
    ${windowsTable(p)}
  </section>`;
}

function problems(p: RegressionPerformance | undefined): string {
  return p?.problems && p.problems.length > 0 ? callout('warn', 'Not computed', p.problems) : '';
}

const LABELS: Readonly<Record<Key, string>> = {
  mae: 'MAE',
  rmse: 'RMSE',
  mape: 'MAPE',
  skill: 'Skill vs baseline',
};

function show(key: Key, value: number | null | undefined): string {
  return key === 'mape' ? pct(value) : num(value);
}

function comparisonTable(p: RegressionPerformance): string {
  const rows = (['mae', 'rmse', 'mape', 'skill'] as const)
    .map((key) => {
      const change = p.change?.[key];
      // Lower is better for errors, higher for skill.
      const worse = change !== undefined && (key === 'skill' ? change < 0 : change > 0);
      const shownChange =
        key === 'mape' && change !== undefined ? signedPct(change) : signed(change);
      return `<tr><th>${LABELS[key]}</th><td class="num">${esc(show(key, p.registered?.[key]))}</td><td class="num strong">${esc(show(key, p.overall[key]))}</td><td class="num ${change === undefined ? 'muted' : worse ? 'bad-text' : 'good-text'}">${esc(shownChange || '—')}</td></tr>`;
    })
    .join('\n');
  return `<table class="data compare">
      <thead><tr><th>Metric</th><th class="num">Registered</th><th class="num">Now</th><th class="num">Change</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>`;
}

function signedPct(change: number): string {
  return `${change > 0 ? '+' : change < 0 ? '−' : '±'}${pct(Math.abs(change))}`;
}

function windowsTable(p: RegressionPerformance): string {
  if (p.windows.length === 0) return '';
  const cells = (s: RegressionScores): string =>
    `<td class="num">${int(s.count)}</td><td class="num">${esc(num(s.mae))}</td><td class="num">${esc(num(s.rmse))}</td><td class="num">${esc(pct(s.mape))}</td><td class="num">${esc(num(s.skill))}</td><td class="num">${esc(num(s.meanError))}</td>`;
  const rows = p.windows
    .map((w) => {
      const from = w.startLabel ?? time(w.start);
      const to = w.endLabel ?? time(w.end);
      return `<tr><td>${esc(from)} → ${esc(to)}</td>${cells(w)}</tr>`;
    })
    .join('\n');
  return `<h3>Windows</h3>
    <div class="table-scroll"><table class="data">
      <thead><tr><th>Window</th><th class="num">Rows</th><th class="num">MAE</th><th class="num">RMSE</th><th class="num">MAPE</th><th class="num">Skill</th><th class="num">Mean error</th></tr></thead>
      <tbody>
${rows}
        <tr class="total"><td>Overall</td>${cells(p.overall)}</tr>
      </tbody>
    </table></div>`;
}
