import { buildMonitorReport, type MonitorReport } from './index.js';

// Only the report's own types, by indexed access, so this file needs nothing but the report's
// public surface (it can move to src/testing/ unchanged but for that one import).
type ColumnDrift = MonitorReport['dataDrift']['columns'][number];
type ColumnSideSummary = ColumnDrift['reference'];
type ColumnDistribution = NonNullable<ColumnDrift['distribution']>;
type DataQualityResult = NonNullable<MonitorReport['dataQuality']>;
type RegressionPerformance = NonNullable<MonitorReport['performance']>;
type PerformanceWindow = RegressionPerformance['windows'][number];
type ConditionResult = MonitorReport['checks'][number];

// A realistic report of the forecasting model for tests (the report is built by hand from the
// contract types, not by the drift engine): a 1,254-row reference from the model package against
// a 60-row window of served requests in which prices have moved up and volatility tripled.

const DAY = 86_400_000;
const REF_FROM = Date.UTC(2021, 0, 4);
const REF_TO = Date.UTC(2025, 11, 31);
const CUR_FROM = Date.UTC(2026, 8, 1);
const CUR_TO = Date.UTC(2026, 10, 26);

/** Deterministic normal samples (mulberry32 + Box-Muller): the same fixture on every run. */
function normals(seed: number, n: number, mean: number, std: number): Float64Array {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.max(uniform(), 1e-12);
    out[i] = mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  }
  return out;
}

function summary(x: Float64Array, missing = 0): ColumnSideSummary {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of x) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / x.length;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  return {
    rows: x.length + missing,
    missing,
    mean,
    std: Math.sqrt(ss / x.length),
    min,
    max,
    distinct: new Set(x).size,
  };
}

/** Ten equal bins over the combined range, as the drift engine draws them. */
function histogram(ref: Float64Array, cur: Float64Array): ColumnDistribution {
  const lo = Math.min(...ref, ...cur);
  const hi = Math.max(...ref, ...cur);
  const edges = Array.from({ length: 11 }, (_, i) => lo + ((hi - lo) * i) / 10);
  const shares = (x: Float64Array): number[] => {
    const counts = new Array<number>(10).fill(0);
    for (const v of x) counts[Math.min(9, Math.floor(((v - lo) / (hi - lo)) * 10))]! += 1;
    return counts.map((c) => c / x.length);
  };
  return { type: 'histogram', edges, reference: shares(ref), current: shares(cur) };
}

function numericalDrift(
  column: string,
  ref: Float64Array,
  cur: Float64Array,
  score: number,
  test = 'wasserstein',
): ColumnDrift {
  const pValue = test === 'ks';
  const threshold = pValue ? 0.05 : 0.1;
  return {
    column,
    kind: 'numerical',
    test,
    scoreKind: pValue ? 'p_value' : 'distance',
    selectedBy: pValue ? 'column' : 'default',
    status: 'ok',
    score,
    threshold,
    drifted: pValue ? score <= threshold : score >= threshold,
    reference: summary(ref),
    current: summary(cur),
    distribution: histogram(ref, cur),
  };
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

function weekdayDrift(): ColumnDrift {
  const side = (rows: number): ColumnSideSummary => ({ rows, missing: 0, distinct: 5 });
  return {
    column: 'weekday',
    kind: 'categorical',
    test: 'jensenshannon',
    scoreKind: 'distance',
    selectedBy: 'default',
    status: 'ok',
    score: 0.0412,
    threshold: 0.1,
    drifted: false,
    reference: side(1254),
    current: side(60),
    distribution: {
      type: 'categories',
      categories: WEEKDAYS,
      reference: [0.196, 0.203, 0.204, 0.2, 0.197],
      current: [0.183, 0.2, 0.217, 0.2, 0.2],
    },
  };
}

function dataDrift(): { columns: ColumnDrift[]; prediction: ColumnDrift } {
  const n = 1254;
  const m = 60;
  const columns = [
    numericalDrift('last_close', normals(1, n, 118, 32), normals(2, m, 171, 6), 1.6613),
    numericalDrift(
      'last_log_return',
      normals(3, n, 0.0008, 0.018),
      normals(4, m, 0.0011, 0.021),
      0.0634,
    ),
    numericalDrift('return_5d', normals(5, n, 0.004, 0.04), normals(6, m, -0.012, 0.071), 0.2147),
    numericalDrift(
      'volatility_20d',
      normals(7, n, 0.017, 0.005),
      normals(8, m, 0.049, 0.009),
      3.5211,
    ),
    numericalDrift(
      'mean_log_return',
      normals(9, n, 0.0007, 0.004),
      normals(10, m, 0.0009, 0.005),
      0.3127,
      'ks', // as a per-column override would set it
    ),
    weekdayDrift(),
    {
      column: 'volume_change',
      kind: 'numerical',
      test: 'wasserstein',
      scoreKind: 'distance',
      selectedBy: 'default',
      status: 'error',
      score: null,
      threshold: 0.1,
      drifted: false,
      problem:
        "column 'volume_change' is missing in the current data; wasserstein needs values on both sides",
      reference: summary(normals(11, n, 0, 0.3)),
      current: { rows: 0, missing: 0, distinct: 0 },
    } satisfies ColumnDrift,
  ];
  const prediction = numericalDrift(
    'prediction',
    normals(12, 250, 139, 9),
    normals(13, m, 172, 7),
    0.00031,
    'ks',
  );
  return { columns, prediction: { ...prediction, selectedBy: 'default' } };
}

function dataQuality(): DataQualityResult {
  const numerical = (
    column: string,
    missing: number,
    outOfRange: number,
    range: [number, number],
    current: [number, number],
  ): DataQualityResult['columns'][number] => ({
    column,
    kind: 'numerical',
    missing,
    missingShare: missing / 60,
    referenceMissingShare: 0,
    outOfRange,
    outOfRangeShare: outOfRange / (60 - missing),
    referenceRange: range,
    min: current[0],
    max: current[1],
    mean: (current[0] + current[1]) / 2,
    constant: false,
  });
  return {
    referenceRows: 1254,
    currentRows: 60,
    columns: [
      numerical('last_close', 0, 27, [86.4, 166.2], [158.9, 186.4]),
      numerical('last_log_return', 0, 1, [-0.112, 0.097], [-0.061, 0.113]),
      numerical('return_5d', 0, 2, [-0.151, 0.162], [-0.171, 0.158]),
      numerical('volatility_20d', 2, 31, [0.006, 0.041], [0.031, 0.068]),
      numerical('mean_log_return', 0, 0, [-0.011, 0.012], [-0.008, 0.009]),
      {
        column: 'weekday',
        kind: 'categorical',
        missing: 0,
        missingShare: 0,
        referenceMissingShare: 0,
        newCategories: [],
        newCategoryCount: 0,
        outOfList: 0,
        outOfListShare: 0,
        constant: false,
        almostConstant: false,
      },
    ],
    schema: [
      {
        column: 'volume_change',
        problem: 'missing_in_current',
        expected: 'numerical',
        message: "column 'volume_change' is in the reference but not in the current data",
      },
    ],
    contract: [
      {
        rule: 'no_gaps',
        severity: 'warning',
        message: '3 trading days missing between 2026-10-09 and 2026-10-15',
        where: '2026-10-09..2026-10-15',
      },
    ],
    missingShare: 2 / 360,
  };
}

function performance(): RegressionPerformance {
  const windows: PerformanceWindow[] = [];
  const maes = [2.11, 2.04, 2.32, 2.27, 2.58, 2.49, 2.93, 3.12, 2.98, 3.41, 3.66, 3.52];
  for (const [i, mae] of maes.entries()) {
    const start = CUR_FROM + i * 7 * DAY;
    const rmse = mae * 1.31;
    const baselineRmse = rmse / (1 - (0.05 - i * 0.012));
    windows.push({
      start,
      end: start + 7 * DAY,
      startLabel: new Date(start).toISOString().slice(0, 10),
      endLabel: new Date(start + 6 * DAY).toISOString().slice(0, 10),
      count: 5,
      mae,
      rmse,
      mape: mae / 168,
      skill: 1 - rmse / baselineRmse,
      baselineRmse,
      meanError: -0.3 - i * 0.08,
    });
  }
  const overall = {
    count: 60,
    mae: 2.79,
    rmse: 3.66,
    mape: 0.0166,
    skill: -0.021,
    baselineRmse: 3.585,
    meanError: -0.74,
  };
  const registered = { mae: 2.05, rmse: 2.74, mape: 0.0121, skill: 0.043 };
  return {
    overall,
    windows,
    registered,
    change: {
      mae: overall.mae - registered.mae,
      rmse: overall.rmse - registered.rmse,
      mape: overall.mape - registered.mape,
      skill: overall.skill - registered.skill,
    },
    unscored: 1,
  };
}

function checks(report: MonitorReport): ConditionResult[] {
  const m = report.metrics;
  const result = (
    metric: string,
    condition: string,
    holds: (v: number | boolean) => boolean,
  ): ConditionResult => {
    const actual = m[metric] ?? null;
    const status = actual === null ? 'error' : holds(actual) ? 'pass' : 'fail';
    const message =
      status === 'error'
        ? `${metric} could not be computed (the test did not run)`
        : `${metric} = ${typeof actual === 'number' ? Number(actual.toPrecision(4)) : String(actual)}, ${status === 'pass' ? 'meets' : 'does not meet'} ${condition}`;
    return { name: `${metric} ${condition}`, metric, condition, actual, status, message };
  };
  return [
    result('data_drift.drifted_share', 'lt 0.5', (v) => (v as number) < 0.5),
    result('prediction_drift.drifted', 'eq false', (v) => v === false),
    result('performance.mae_change', 'lt 0.5', (v) => (v as number) < 0.5),
    result('data_quality.contract_errors', 'eq 0', (v) => v === 0),
    result('data_drift.column.volume_change.score', 'lt 0.1', (v) => (v as number) < 0.1),
  ];
}

/** Options to vary the sample: leave parts out, or rename a column (to test escaping). */
export interface SampleReportOptions {
  readonly withPerformance?: boolean;
  readonly withQuality?: boolean;
  readonly withPrediction?: boolean;
  readonly renameColumn?: { readonly from: string; readonly to: string };
}

/** The sample report: forecasting features, prices up and volatility tripled since the reference. */
export function sampleMonitorReport(options: SampleReportOptions = {}): MonitorReport {
  const { columns, prediction } = dataDrift();
  const rename = <T extends { column: string }>(x: T): T =>
    options.renameColumn && x.column === options.renameColumn.from
      ? { ...x, column: options.renameColumn.to }
      : x;
  const driftColumns = columns.map(rename);
  const tested = driftColumns.filter((c) => c.status === 'ok');
  const drifted = tested.filter((c) => c.drifted).length;
  const quality = dataQuality();
  const report = buildMonitorReport({
    title: 'goog-lstm: served requests vs the registered reference',
    model: { name: 'goog-lstm', version: '3' },
    reference: {
      uri: 'models:/goog-lstm@champion',
      rows: 1254,
      from: REF_FROM,
      to: REF_TO,
      description: 'feature rows and holdout predictions stored in the model package',
    },
    current: {
      uri: 'inference-log',
      rows: 60,
      from: CUR_FROM,
      to: CUR_TO,
      description: 'requests served by version 3, last 60 trading days',
    },
    dataDrift: {
      columns: driftColumns,
      testedColumns: tested.length,
      driftedColumns: drifted,
      driftedShare: drifted / tested.length,
      driftShare: 0.5,
      datasetDrift: drifted / tested.length >= 0.5,
      problems: [],
    },
    predictionDrift: options.withPrediction === false ? undefined : prediction,
    dataQuality:
      options.withQuality === false
        ? undefined
        : { ...quality, columns: quality.columns.map(rename) },
    performance: options.withPerformance === false ? undefined : performance(),
    notes: [
      'Price-level columns (last_close, prediction) drift as prices move: the current window trades above the whole reference range, so their drift says prices are higher, not that the model broke.',
      'volatility_20d is about three times its reference level; return-based features are the ones to watch.',
    ],
    generatedAt: '2026-11-27T09:30:00.000Z',
  });
  return { ...report, checks: checks(report) };
}
