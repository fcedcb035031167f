import type { ConditionResult } from '../checks/check-types.js';
import type { ColumnDrift, DataDriftResult } from '../drift/drift-types.js';
import type { RegressionPerformance } from '../performance/performance-types.js';
import type { DataQualityResult } from '../quality/quality-types.js';
import { flattenMetrics } from './flatten-metrics.js';
import type { MonitorReport, ReportSource } from './report-types.js';

export interface MonitorReportInput {
  readonly title: string;
  readonly model?: { readonly name: string; readonly version: string } | undefined;
  readonly reference: ReportSource;
  readonly current: ReportSource;
  readonly dataDrift: DataDriftResult;
  readonly predictionDrift?: ColumnDrift | undefined;
  readonly dataQuality?: DataQualityResult | undefined;
  readonly performance?: RegressionPerformance | undefined;
  readonly notes?: readonly string[] | undefined;
  /** Results of checks already run on this report's metrics; default none. */
  readonly checks?: readonly ConditionResult[] | undefined;
  /** Default now. */
  readonly generatedAt?: Date | string | undefined;
}

/**
 * A `MonitorReport` from its parts, with `metrics` filled by `flattenMetrics`. A performance part
 * that scored nothing (no actuals yet) is left out and its reason becomes a note: its error
 * means are NaN, which JSON cannot hold, so the report could not be written or read back.
 */
export function buildMonitorReport(input: MonitorReportInput): MonitorReport {
  if (input.performance && input.performance.overall.count === 0) {
    const { performance, ...rest } = input;
    const why = performance.problems?.length ? performance.problems : ['nothing was scored'];
    return buildMonitorReport({
      ...rest,
      notes: [...(input.notes ?? []), ...why.map((p) => `Performance: ${p}`)],
    });
  }
  const generatedAt =
    input.generatedAt === undefined
      ? new Date().toISOString()
      : typeof input.generatedAt === 'string'
        ? input.generatedAt
        : input.generatedAt.toISOString();
  // Optional parts are left out rather than set to undefined: the JSON and the type say "absent".
  return {
    schemaVersion: 1,
    generatedAt,
    title: input.title,
    ...(input.model && { model: { name: input.model.name, version: input.model.version } }),
    reference: input.reference,
    current: input.current,
    dataDrift: input.dataDrift,
    ...(input.predictionDrift && { predictionDrift: input.predictionDrift }),
    ...(input.dataQuality && { dataQuality: input.dataQuality }),
    ...(input.performance && { performance: input.performance }),
    notes: input.notes ?? [],
    metrics: flattenMetrics(input),
    checks: input.checks ?? [],
  };
}
