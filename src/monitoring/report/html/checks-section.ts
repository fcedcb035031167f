import type { ConditionResult } from '../../checks/check-types.js';
import type { MonitorReport } from '../report-types.js';
import { badge, esc, num } from './format.js';

const STATUS = { pass: 'good', fail: 'bad', error: 'warn' } as const;

/** Each condition's verdict, failures first. */
export function checksSection(report: MonitorReport): string {
  if (report.checks.length === 0) {
    return `<section class="card" id="checks">
    <div class="section-head"><h2>Checks</h2></div>
    <p class="empty">No checks were run on this report.</p>
  </section>`;
  }
  const order = { fail: 0, error: 1, pass: 2 } as const;
  const rows = [...report.checks]
    .sort((a, b) => order[a.status] - order[b.status])
    .map(checkRow)
    .join('\n');
  return `<section class="card" id="checks">
    <div class="section-head"><h2>Checks</h2></div>
    <div class="table-scroll"><table class="data">
      <thead><tr><th>Status</th><th>Check</th><th>Condition</th><th class="num">Actual</th><th>Message</th></tr></thead>
      <tbody>
${rows}
      </tbody>
    </table></div>
  </section>`;
}

function checkRow(c: ConditionResult): string {
  const actual =
    typeof c.actual === 'number' ? num(c.actual) : c.actual === null ? '—' : String(c.actual);
  // A named check shows its name over the metric; an unnamed one is its metric and condition.
  const named = c.name !== `${c.metric} ${c.condition}`;
  const check = named
    ? `${esc(c.name)}<div><code>${esc(c.metric)}</code></div>`
    : `<code>${esc(c.metric)}</code>`;
  return `        <tr>
          <td>${badge(c.status, STATUS[c.status])}</td>
          <td class="check-name">${check}</td>
          <td><code>${esc(c.condition)}</code></td>
          <td class="num">${esc(actual)}</td>
          <td>${esc(c.message)}</td>
        </tr>`;
}
