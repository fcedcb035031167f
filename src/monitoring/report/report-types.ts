import type { ConditionResult, MetricMap } from '../checks/check-types.js';
import type { ColumnDrift, DataDriftResult } from '../drift/drift-types.js';
import type { RegressionPerformance } from '../performance/performance-types.js';
import type { DataQualityResult } from '../quality/quality-types.js';

/** Where one side of the comparison came from, in words a person can follow back. */
export interface ReportSource {
  /** e.g. `models:/stock-forecast@champion`, a file path, `inference-log`. */
  readonly uri: string;
  readonly rows: number;
  /** Time span of the rows (epoch ms), when known. */
  readonly from?: number;
  readonly to?: number;
  readonly description?: string;
}

/**
 * A monitoring report: data drift, prediction drift, data quality, live performance, the
 * checks' results and a flat metric map the checks read. JSON schema: `MONITOR_REPORT_SCHEMA`
 * (docs/monitoring.md). `schemaVersion` changes only with a breaking change.
 */
export interface MonitorReport {
  readonly schemaVersion: 1;
  /** ISO-8601 time the report was computed. */
  readonly generatedAt: string;
  readonly title: string;
  readonly model?: { readonly name: string; readonly version: string };
  readonly reference: ReportSource;
  readonly current: ReportSource;
  readonly dataDrift: DataDriftResult;
  /** Predictions now vs the package's holdout predictions. */
  readonly predictionDrift?: ColumnDrift;
  readonly dataQuality?: DataQualityResult;
  readonly performance?: RegressionPerformance;
  /** Plain statements a reader should know (e.g. price-level columns drift as prices move). */
  readonly notes: readonly string[];
  readonly metrics: MetricMap;
  readonly checks: readonly ConditionResult[];
}
