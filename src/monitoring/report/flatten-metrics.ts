import type { MetricMap } from '../checks/check-types.js';
import type { ColumnDrift, DataDriftResult } from '../drift/drift-types.js';
import type { PerformanceWindow, RegressionPerformance } from '../performance/performance-types.js';
import type { DataQualityResult } from '../quality/quality-types.js';
import type { ReportSource } from './report-types.js';

/** The parts of a report the flat metrics come from; an absent part gives no keys. */
export interface MetricParts {
  readonly reference?: Pick<ReportSource, 'rows'> | undefined;
  readonly current?: Pick<ReportSource, 'rows'> | undefined;
  readonly dataDrift?: DataDriftResult | undefined;
  readonly predictionDrift?: ColumnDrift | undefined;
  readonly dataQuality?: DataQualityResult | undefined;
  readonly performance?: RegressionPerformance | undefined;
}

type Value = number | boolean | null;

/**
 * The flat metrics checks and snapshots read: `path -> value` (names in docs/monitoring.md,
 * "Metrics"). A part that is absent gives no keys, so a check on it reports an error rather than
 * passing; a metric that exists but could not be computed (a test that could not run, no
 * registered score to compare with, a non-finite number) is `null`.
 */
export function flattenMetrics(parts: MetricParts): MetricMap {
  const out: Record<string, Value> = {};
  const put = (key: string, value: Value | undefined): void => {
    out[key] =
      value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? null : value;
  };
  if (parts.reference) put('rows.reference', parts.reference.rows);
  if (parts.current) put('rows.current', parts.current.rows);
  if (parts.dataDrift) dataDriftMetrics(parts.dataDrift, put);
  if (parts.predictionDrift) {
    const { score, drifted } = columnDriftValues(parts.predictionDrift);
    put('prediction_drift.score', score);
    put('prediction_drift.drifted', drifted);
  }
  if (parts.dataQuality) dataQualityMetrics(parts.dataQuality, put);
  if (parts.performance) performanceMetrics(parts.performance, put);
  return out;
}

type Put = (key: string, value: Value | undefined) => void;

function dataDriftMetrics(drift: DataDriftResult, put: Put): void {
  // With nothing tested, "0 drifted" would read as "no drift": report it as not computed.
  const tested = drift.testedColumns > 0;
  put('data_drift.dataset_drift', tested ? drift.datasetDrift : null);
  put('data_drift.drifted_share', tested ? drift.driftedShare : null);
  put('data_drift.drifted_columns', drift.driftedColumns);
  put('data_drift.tested_columns', drift.testedColumns);
  put('data_drift.error_columns', drift.columns.filter((c) => c.status === 'error').length);
  for (const column of drift.columns) {
    const { score, drifted } = columnDriftValues(column);
    put(`data_drift.column.${column.column}.score`, score);
    put(`data_drift.column.${column.column}.drifted`, drifted);
  }
}

/** An errored test has neither a score nor a verdict (its `drifted: false` means "not tested"). */
function columnDriftValues(column: ColumnDrift): { score: Value; drifted: Value } {
  return column.status === 'ok'
    ? { score: column.score, drifted: column.drifted }
    : { score: null, drifted: null };
}

function dataQualityMetrics(quality: DataQualityResult, put: Put): void {
  put('data_quality.missing_share', quality.missingShare);
  put('data_quality.schema_violations', quality.schema.length);
  put(
    'data_quality.contract_errors',
    quality.contract.filter((v) => v.severity === 'error').length,
  );
  put(
    'data_quality.contract_warnings',
    quality.contract.filter((v) => v.severity === 'warning').length,
  );
  for (const column of quality.columns) {
    const prefix = `data_quality.column.${column.column}`;
    put(`${prefix}.missing_share`, column.missingShare);
    if (column.kind === 'numerical') {
      put(`${prefix}.out_of_range_share`, column.outOfRangeShare);
    } else {
      // The count covers every new label; the list may be capped.
      put(`${prefix}.new_categories`, column.newCategoryCount ?? column.newCategories?.length);
      put(`${prefix}.out_of_list_share`, column.outOfListShare);
    }
  }
}

const SCORE_KEYS = ['mae', 'rmse', 'mape', 'skill'] as const;

function performanceMetrics(performance: RegressionPerformance, put: Put): void {
  put('performance.count', performance.overall.count);
  put('performance.unscored', performance.unscored);
  for (const key of SCORE_KEYS) put(`performance.${key}`, performance.overall[key]);
  for (const key of SCORE_KEYS) put(`performance.${key}_change`, performance.change?.[key]);
  const latest = latestWindow(performance.windows);
  for (const key of ['count', ...SCORE_KEYS] as const) {
    put(`performance.latest_window.${key}`, latest?.[key]);
  }
}

function latestWindow(windows: readonly PerformanceWindow[]): PerformanceWindow | undefined {
  let latest: PerformanceWindow | undefined;
  for (const w of windows) if (latest === undefined || w.end > latest.end) latest = w;
  return latest;
}
