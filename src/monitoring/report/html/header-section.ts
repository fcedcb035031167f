import type { MonitorReport, ReportSource } from '../report-types.js';
import { esc, plural, span, time } from './format.js';

/** Title, model, when, and where both sides came from. */
export function headerSection(report: MonitorReport): string {
  const model = report.model
    ? `<span class="model">${esc(report.model.name)} <span class="version">v${esc(report.model.version)}</span></span>`
    : '';
  return `<header class="page-head">
  <div class="wrap">
    <div class="eyebrow">mlops · monitoring report</div>
    <h1>${esc(report.title)}</h1>
    <div class="head-meta">${model}<span>Generated ${esc(time(Date.parse(report.generatedAt)))}</span></div>
    <div class="sources">
      ${sourceBox('Reference', report.reference)}
      <div class="vs" aria-hidden="true">vs</div>
      ${sourceBox('Current', report.current)}
    </div>
  </div>
</header>`;
}

function sourceBox(label: string, source: ReportSource): string {
  const description = source.description
    ? `<div class="source-desc">${esc(source.description)}</div>`
    : '';
  return `<div class="source ${label.toLowerCase()}">
        <div class="source-label"><span class="swatch"></span>${label}</div>
        <div class="source-uri">${esc(source.uri)}</div>
        <div class="source-meta">${esc(plural(source.rows, 'row'))} · ${esc(span(source.from, source.to))}</div>
        ${description}
      </div>`;
}

/** Plain statements the reader must see first (e.g. why price-level columns drift). */
export function notesSection(report: MonitorReport): string {
  const problems = report.dataDrift.problems;
  const parts: string[] = [];
  if (problems.length > 0) {
    parts.push(callout('warn', 'Problems', problems));
  }
  if (report.notes.length > 0) parts.push(callout('info', 'Notes', report.notes));
  return parts.join('\n');
}

export function callout(tone: 'info' | 'warn', title: string, lines: readonly string[]): string {
  const items = lines.map((line) => `<li>${esc(line)}</li>`).join('');
  return `<aside class="callout ${tone}" role="note"><div class="callout-title">${esc(title)}</div><ul>${items}</ul></aside>`;
}
