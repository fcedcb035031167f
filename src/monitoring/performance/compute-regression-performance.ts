import { invalidParam } from '../../core/index.js';
import type {
  PerformanceWindow,
  RegressionPerformance,
  RegressionScores,
  ScoredPrediction,
} from './performance-types.js';
import { splitWindows, type WindowSpec } from './performance-windows.js';
import { hasBaseline, scoreRegression } from './regression-scores.js';

export interface RegressionPerformanceOptions {
  /** Default: about 10 windows of at least 5 rows each. */
  readonly window?: WindowSpec;
  /** The scores recorded at registration (holdout); `change` is overall minus these. */
  readonly registered?: RegressionPerformance['registered'];
}

const COMPARED = ['mae', 'rmse', 'mape', 'skill'] as const;

/**
 * Live regression performance: overall scores, scores per window over time (rows sorted by
 * timestamp; ties keep their order) and the change against the registered scores. A row whose
 * `actual` is NaN (or absent) is not known yet: it is counted in `unscored`, not scored.
 * A non-finite prediction or timestamp, or an infinite actual or baseline, is a bug upstream
 * and throws, naming the row.
 *
 * @example
 * const perf = computeRegressionPerformance(rows, { window: { ms: 7 * 86_400_000 } });
 * perf.windows.map((w) => w.rmse);
 */
export function computeRegressionPerformance(
  rows: readonly ScoredPrediction[],
  options: RegressionPerformanceOptions = {},
): RegressionPerformance {
  const scored: ScoredPrediction[] = [];
  rows.forEach((row, index) => {
    checkRow(row, index);
    if (isKnown(row.actual)) scored.push(row);
  });
  scored.sort((a, b) => a.timestamp - b.timestamp);

  const overall = scoreRegression(scored);
  const windows = splitWindows(scored, options.window).map(toWindow);
  const change = options.registered ? changeOf(overall, options.registered) : undefined;
  return {
    overall,
    windows,
    ...(options.registered ? { registered: options.registered } : {}),
    ...(change ? { change } : {}),
    unscored: rows.length - scored.length,
    problems: problemsOf(rows.length, scored, overall),
  };
}

/** NaN, null or undefined: the actual is not known yet. */
function isKnown(actual: number | null | undefined): actual is number {
  return typeof actual === 'number' && !Number.isNaN(actual);
}

function checkRow(row: ScoredPrediction, index: number): void {
  const where = `row ${index}${row.label === undefined ? '' : ` (${row.label})`}`;
  const fail = (field: string, value: unknown, expected: string) =>
    invalidParam(`${where}: ${field} is ${String(value)}; expected ${expected}`, {
      row: index,
      field,
    });
  if (!Number.isFinite(row.timestamp)) {
    throw fail('timestamp', row.timestamp, 'epoch milliseconds (a finite number)');
  }
  if (!Number.isFinite(row.predicted)) throw fail('predicted', row.predicted, 'a finite number');
  if (isKnown(row.actual) && !Number.isFinite(row.actual)) {
    throw fail('actual', row.actual, 'a finite number, or NaN while it is not known yet');
  }
  if (hasBaseline(row) && !Number.isFinite(row.baseline)) {
    throw fail('baseline', row.baseline, 'a finite number, or NaN/absent when there is none');
  }
}

function toWindow(rows: readonly ScoredPrediction[]): PerformanceWindow {
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  return {
    ...scoreRegression(rows),
    start: first.timestamp,
    end: last.timestamp,
    ...(first.label === undefined ? {} : { startLabel: first.label }),
    ...(last.label === undefined ? {} : { endLabel: last.label }),
  };
}

function changeOf(
  overall: RegressionScores,
  registered: NonNullable<RegressionPerformance['registered']>,
): RegressionPerformance['change'] {
  const change: Partial<Record<(typeof COMPARED)[number], number>> = {};
  for (const metric of COMPARED) {
    const now = overall[metric];
    const then = registered[metric];
    if (isFiniteNumber(now) && isFiniteNumber(then)) change[metric] = now - then;
  }
  return change;
}

function isFiniteNumber(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Why a metric is missing, in words for the report. */
function problemsOf(
  total: number,
  scored: readonly ScoredPrediction[],
  overall: RegressionScores,
): string[] {
  if (total === 0) return ['no predictions in the window: nothing to score'];
  if (scored.length === 0) {
    return [`none of the ${total} predictions has an actual yet: nothing to score`];
  }
  const problems: string[] = [];
  if (overall.mape === null) {
    const zeros = scored.filter((r) => r.actual === 0).length;
    problems.push(
      `MAPE is not defined: the actual is 0 on ${zeros} of ${scored.length} scored rows`,
    );
  }
  const withoutBaseline = scored.filter((r) => !hasBaseline(r)).length;
  if (withoutBaseline > 0) {
    problems.push(
      `skill is not computed: ${withoutBaseline} of ${scored.length} scored rows have no baseline`,
    );
  } else if (overall.skill === null) {
    problems.push('skill is not defined: the baseline matches every actual exactly (RMSE 0)');
  }
  return problems;
}
