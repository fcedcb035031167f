import type { ExperimentsTable, MetricsTable, RunsTable } from '../storage/index.js';
import type { Experiment, LifecycleStage, Metric, RunInfo, RunStatus } from './entities.js';

type Selected<T> = { [K in keyof T]: T[K] extends import('kysely').Generated<infer U> ? U : T[K] };

export function toRunInfo(row: RunsTable): RunInfo {
  return {
    runId: row.run_uuid,
    runName: row.name,
    experimentId: String(row.experiment_id),
    userId: row.user_id,
    status: row.status as RunStatus,
    startTime: Number(row.start_time),
    endTime: row.end_time === null ? null : Number(row.end_time),
    artifactUri: row.artifact_uri,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
  };
}

export function toExperiment(
  row: Selected<ExperimentsTable>,
  tags: Record<string, string>,
): Experiment {
  return {
    experimentId: String(row.experiment_id),
    name: row.name,
    artifactLocation: row.artifact_location,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    creationTime: Number(row.creation_time),
    lastUpdateTime: Number(row.last_update_time),
    tags,
  };
}

export function toMetric(
  row: Pick<MetricsTable, 'key' | 'value' | 'timestamp' | 'step' | 'is_nan'>,
): Metric {
  return {
    key: row.key,
    value: row.is_nan ? Number.NaN : Number(row.value),
    timestamp: Number(row.timestamp),
    step: Number(row.step),
  };
}

/** Row form of a metric: NaN goes into the flag because SQLite binds NaN as NULL. */
export function metricRow(runId: string, m: Metric): MetricsTable {
  const isNan = Number.isNaN(m.value);
  return {
    run_uuid: runId,
    key: m.key,
    value: isNan ? 0 : m.value,
    timestamp: m.timestamp,
    step: m.step,
    is_nan: isNan ? 1 : 0,
  };
}

/** True when `a` should replace `b` as the latest value: by step, then timestamp, then value. */
export function isNewer(a: Metric, b: Metric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}
