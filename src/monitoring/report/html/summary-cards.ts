import type { MonitorReport } from '../report-types.js';
import { esc, int, num, pct, plural, signed, type Tone } from './format.js';

interface Card {
  readonly label: string;
  readonly value: string;
  readonly tone: Tone;
  readonly detail: string;
}

/** The row of cards a reader scans first: drift, prediction, checks, accuracy, quality. */
export function summaryCards(report: MonitorReport): string {
  const cards: Card[] = [driftCard(report), columnsCard(report)];
  if (report.predictionDrift) {
    const p = report.predictionDrift;
    cards.push({
      label: 'Prediction drift',
      value: p.status === 'error' ? 'Not tested' : p.drifted ? 'Drifted' : 'Stable',
      tone: p.status === 'error' ? 'warn' : p.drifted ? 'bad' : 'good',
      detail:
        p.status === 'error'
          ? (p.problem ?? 'the test could not run')
          : `${p.test} ${p.scoreKind === 'p_value' ? 'p' : 'score'} = ${num(p.score)} (threshold ${num(p.threshold)})`,
    });
  }
  cards.push(checksCard(report));
  cards.push(...performanceCards(report));
  if (report.dataQuality) cards.push(qualityCard(report.dataQuality));
  const html = cards
    .map(
      (c) => `<div class="stat ${c.tone}">
      <div class="stat-label">${esc(c.label)}</div>
      <div class="stat-value">${esc(c.value)}</div>
      <div class="stat-detail">${esc(c.detail)}</div>
    </div>`,
    )
    .join('\n    ');
  return `<section class="stats" aria-label="Summary">\n    ${html}\n  </section>`;
}

function qualityCard(q: NonNullable<MonitorReport['dataQuality']>): Card {
  const errors = q.contract.filter((v) => v.severity === 'error').length;
  const issues = q.schema.length + errors;
  const detail = `${pct(q.missingShare)} missing · ${plural(q.schema.length, 'schema violation')} · ${plural(q.contract.length - errors, 'warning')}`;
  if (issues > 0)
    return { label: 'Data quality', value: plural(issues, 'issue'), tone: 'bad', detail };
  const problems = q.problems ?? [];
  return problems.length === 0
    ? { label: 'Data quality', value: 'OK', tone: 'good', detail }
    : {
        label: 'Data quality',
        value: plural(problems.length, 'problem'),
        tone: 'warn',
        detail: problems[0]!,
      };
}

function driftCard(report: MonitorReport): Card {
  const d = report.dataDrift;
  if (d.testedColumns === 0) {
    return {
      label: 'Dataset drift',
      value: 'Not computed',
      tone: 'warn',
      detail: d.problems[0] ?? 'no column could be tested',
    };
  }
  return {
    label: 'Dataset drift',
    value: d.datasetDrift ? 'Detected' : 'Not detected',
    tone: d.datasetDrift ? 'bad' : 'good',
    detail: `${pct(d.driftedShare)} of tested columns drifted; drift at ≥ ${pct(d.driftShare)}`,
  };
}

function columnsCard(report: MonitorReport): Card {
  const d = report.dataDrift;
  const errors = d.columns.filter((c) => c.status === 'error').length;
  return {
    label: 'Drifted columns',
    value: `${int(d.driftedColumns)} of ${int(d.testedColumns)}`,
    tone: errors > 0 ? 'warn' : d.driftedColumns > 0 ? 'bad' : 'good',
    detail: errors > 0 ? `${plural(errors, 'column')} could not be tested` : 'every column tested',
  };
}

function checksCard(report: MonitorReport): Card {
  const checks = report.checks;
  if (checks.length === 0) {
    return {
      label: 'Checks',
      value: 'None run',
      tone: 'muted',
      detail: 'no conditions configured',
    };
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const errors = checks.filter((c) => c.status === 'error').length;
  const passed = checks.length - failed - errors;
  return {
    label: 'Checks',
    value: `${int(passed)} of ${int(checks.length)} passed`,
    tone: failed > 0 ? 'bad' : errors > 0 ? 'warn' : 'good',
    detail: `${int(failed)} failed · ${plural(errors, 'error')}`,
  };
}

function performanceCards(report: MonitorReport): Card[] {
  const p = report.performance;
  if (!p) {
    return [
      {
        label: 'Accuracy',
        value: 'No feedback yet',
        tone: 'muted',
        detail: 'appears once actual values arrive',
      },
    ];
  }
  const vs = (key: 'mae' | 'rmse' | 'skill'): string => {
    const registered = p.registered?.[key];
    if (registered === undefined || registered === null) return 'no registered score';
    return `registered ${num(registered)} (${signed(p.change?.[key])})`;
  };
  // Errors growing past the registered score is bad; skill falling is bad.
  const worse = (key: 'mae' | 'rmse' | 'skill'): Tone => {
    const change = p.change?.[key];
    if (change === undefined) return 'muted';
    return (key === 'skill' ? change < 0 : change > 0) ? 'bad' : 'good';
  };
  const cards: Card[] = [
    { label: 'MAE', value: num(p.overall.mae), tone: worse('mae'), detail: vs('mae') },
    { label: 'RMSE', value: num(p.overall.rmse), tone: worse('rmse'), detail: vs('rmse') },
  ];
  if (p.overall.skill !== null) {
    cards.push({
      label: 'Skill vs baseline',
      value: num(p.overall.skill),
      tone: worse('skill'),
      detail: vs('skill'),
    });
  }
  return cards;
}
