import type { ColumnQuality, DataQualityResult } from '../../quality/quality-types.js';
import type { MonitorReport } from '../report-types.js';
import { callout } from './header-section.js';
import { badge, esc, int, num, pct, plural } from './format.js';

/** New labels listed per column; the count says how many more. */
const SHOWN_CATEGORIES = 8;

/** Missing values, out-of-range values, new categories, schema and data-contract violations. */
export function qualitySection(report: MonitorReport): string {
  const q = report.dataQuality;
  if (!q) return '';
  const errors = q.contract.filter((v) => v.severity === 'error').length;
  const summary = `${pct(q.missingShare)} of current cells missing · ${plural(q.schema.length, 'schema violation')} · ${plural(errors, 'contract error')}, ${plural(q.contract.length - errors, 'warning')}`;
  return `<section class="card" id="data-quality">
    <div class="section-head">
      <h2>Data quality</h2>
      <p class="sub">${esc(summary)}</p>
    </div>
    ${q.problems && q.problems.length > 0 ? callout('warn', 'Problems', q.problems) : ''}
    <div class="table-scroll"><table class="data">
      <thead><tr><th>Column</th><th>Type</th><th class="num">Missing</th><th class="num">Missing in reference</th><th class="num">Out of reference range</th><th class="num">Current range <span class="muted">/ reference</span></th><th>New categories</th></tr></thead>
      <tbody>
${q.columns.map(qualityRow).join('\n')}
      </tbody>
    </table></div>
    ${schemaTable(q)}
    ${contractTable(q)}
  </section>`;
}

function qualityRow(c: ColumnQuality): string {
  const outOfRange =
    c.outOfRange === undefined
      ? '—'
      : `${int(c.outOfRange)} <span class="muted">(${esc(pct(c.outOfRangeShare))})</span>`;
  const range = (lo: number | undefined, hi: number | undefined): string =>
    lo === undefined || hi === undefined ? '—' : esc(`${num(lo)} – ${num(hi)}`);
  const reference = c.referenceRange
    ? `<div class="muted small">ref ${range(c.referenceRange[0], c.referenceRange[1])}</div>`
    : '';
  const newCategories = newCategoriesCell(c);
  const warnMissing = c.missingShare > c.referenceMissingShare;
  return `        <tr>
          <td class="col-name">${esc(c.column)}${constancy(c)}</td>
          <td>${esc(c.kind)}</td>
          <td class="num${warnMissing ? ' warn-text' : ''}">${int(c.missing)} <span class="muted">(${esc(pct(c.missingShare))})</span></td>
          <td class="num">${esc(pct(c.referenceMissingShare))}</td>
          <td class="num${(c.outOfRange ?? 0) > 0 ? ' warn-text' : ''}">${outOfRange}</td>
          <td class="num">${range(c.min, c.max)}${reference}</td>
          <td>${newCategories}</td>
        </tr>`;
}

/** How many new labels, the share of rows holding one, and the first few labels. */
function newCategoriesCell(c: ColumnQuality): string {
  if (c.newCategories === undefined) return '—';
  const count = c.newCategoryCount ?? c.newCategories.length;
  if (count === 0) return '<span class="muted">none</span>';
  const rows = c.outOfListShare === undefined ? '' : ` · ${pct(c.outOfListShare)} of rows`;
  const shown = c.newCategories.slice(0, SHOWN_CATEGORIES);
  const more =
    count > shown.length ? ` <span class="muted">+${int(count - shown.length)} more</span>` : '';
  return `<span class="warn-text">${esc(plural(count, 'new label') + rows)}</span><div>${shown.map((x) => `<code>${esc(x)}</code>`).join(' ')}${more}</div>`;
}

function constancy(c: ColumnQuality): string {
  if (c.constant) return ` ${badge('constant', 'warn')}`;
  return c.almostConstant ? ` ${badge('almost constant', 'warn')}` : '';
}

function schemaTable(q: DataQualityResult): string {
  if (q.schema.length === 0)
    return '<p class="hint">Schema: every reference column is present with its type.</p>';
  const rows = q.schema
    .map(
      (v) =>
        `<tr><td class="col-name">${esc(v.column)}</td><td>${badge(v.problem.replaceAll('_', ' '), 'bad')}</td><td>${esc(v.expected ?? '—')}</td><td>${esc(v.actual ?? '—')}</td><td>${esc(v.message)}</td></tr>`,
    )
    .join('\n');
  return `<h3>Schema violations</h3>
    <div class="table-scroll"><table class="data">
      <thead><tr><th>Column</th><th>Problem</th><th>Expected</th><th>Actual</th><th>Message</th></tr></thead>
      <tbody>${rows}</tbody>
    </table></div>`;
}

function contractTable(q: DataQualityResult): string {
  if (q.contract.length === 0) return '<p class="hint">Data contract: no violations.</p>';
  const rows = q.contract
    .map(
      (v) =>
        `<tr><td>${badge(v.severity, v.severity === 'error' ? 'bad' : 'warn')}</td><td><code>${esc(v.rule)}</code></td><td>${esc(v.where ?? '—')}</td><td>${esc(v.message)}</td></tr>`,
    )
    .join('\n');
  return `<h3>Data contract</h3>
    <div class="table-scroll"><table class="data">
      <thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Message</th></tr></thead>
      <tbody>${rows}</tbody>
    </table></div>`;
}
