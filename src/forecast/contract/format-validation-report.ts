import { RULES, type Issue, type RuleName, type ValidationReport } from './validation-report.js';

/**
 * A short human summary of a report: the verdict with rows and date range, then errors and
 * warnings grouped by rule, each group listing its issues and how many more were left out.
 */
export function formatValidationReport(report: ValidationReport): string {
  const errors = total(report, report.errors);
  const warnings = total(report, report.warnings);
  const range =
    report.firstDate === null ? 'no dates' : `${report.firstDate} .. ${report.lastDate}`;
  const lines = [
    `Data contract ${report.ok ? 'OK' : 'FAILED'}${report.source ? `: ${report.source}` : ''}`,
    `  ${report.rows} rows, ${range}; ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`,
  ];
  section(lines, 'Errors', report, report.errors);
  section(lines, 'Warnings', report, report.warnings);
  return lines.join('\n');
}

function section(out: string[], title: string, report: ValidationReport, issues: readonly Issue[]) {
  if (issues.length === 0) return;
  out.push(`${title}:`);
  const rules = [...new Set(issues.map((i) => i.rule))];
  for (const rule of rules) {
    out.push(`  ${rule} (${report.counts[rule] ?? 0}): ${RULES[rule].summary}`);
    for (const issue of issues) if (issue.rule === rule) out.push(`    - ${issue.message}`);
    const more = report.omitted[rule];
    if (more) out.push(`    ... and ${more} more`);
  }
}

function total(report: ValidationReport, issues: readonly Issue[]): number {
  const rules = new Set<RuleName>(issues.map((i) => i.rule));
  return [...rules].reduce((sum, rule) => sum + (report.counts[rule] ?? 0), 0);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
