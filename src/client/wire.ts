/**
 * MLflow's JSON (snake_case, proto3-style) to our entities and back. The server leaves out unset
 * and empty fields, may write int64 as a number or a string, and writes non-finite doubles as
 * "NaN", "Infinity" and "-Infinity"; every reader here copes with all of that.
 */
import { MlopsError } from '../core/index.js';
import type {
  ArtifactRecord,
  Experiment,
  FileInfo,
  KeyValue,
  LifecycleStage,
  Metric,
  Page,
  Run,
  RunInfo,
  RunStatus,
} from '../tracking/index.js';

/** int64 as MLflow writes it: a JSON number (newer servers) or a decimal string. */
export type WireInt64 = number | string;
/** A double: a number, or "NaN" / "Infinity" / "-Infinity" (or a decimal string). */
export type WireDouble = number | string;

export interface WireKeyValue {
  readonly key?: string;
  readonly value?: string;
}

export interface WireExperiment {
  readonly experiment_id?: string | number;
  readonly name?: string;
  readonly artifact_location?: string;
  readonly lifecycle_stage?: string;
  readonly creation_time?: WireInt64;
  readonly last_update_time?: WireInt64;
  readonly tags?: readonly WireKeyValue[];
}

export interface WireRunInfo {
  readonly run_id?: string;
  readonly run_uuid?: string;
  readonly run_name?: string;
  readonly experiment_id?: string | number;
  readonly user_id?: string;
  readonly status?: string | number;
  readonly start_time?: WireInt64;
  readonly end_time?: WireInt64 | null;
  readonly artifact_uri?: string;
  readonly lifecycle_stage?: string;
}

export interface WireMetric {
  readonly key?: string;
  readonly value?: WireDouble;
  readonly timestamp?: WireInt64;
  readonly step?: WireInt64;
}

export interface WireRun {
  readonly info?: WireRunInfo;
  readonly data?: {
    readonly metrics?: readonly WireMetric[];
    readonly params?: readonly WireKeyValue[];
    readonly tags?: readonly WireKeyValue[];
  };
}

export interface WireFileInfo {
  readonly path?: string;
  readonly is_dir?: boolean;
  readonly file_size?: WireInt64;
}

/** A metric as sent in requests: non-finite values as strings, the rest as numbers. */
export interface WireMetricOut {
  readonly key: string;
  readonly value: number | 'NaN' | 'Infinity' | '-Infinity';
  readonly timestamp: number;
  readonly step: number;
}

const STATUS_BY_NUMBER: Readonly<Record<number, RunStatus>> = {
  1: 'RUNNING',
  2: 'SCHEDULED',
  3: 'FINISHED',
  4: 'FAILED',
  5: 'KILLED',
};
const STATUSES: ReadonlySet<string> = new Set(Object.values(STATUS_BY_NUMBER));
const INT64 = /^-?\d+$/;
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function experimentFromWire(wire: WireExperiment | undefined): Experiment {
  const w = record(wire, 'experiment');
  return {
    experimentId: idFromWire(w.experiment_id, 'experiment.experiment_id'),
    name: w.name ?? '',
    artifactLocation: w.artifact_location ?? '',
    lifecycleStage: stageFromWire(w.lifecycle_stage, 'experiment.lifecycle_stage'),
    creationTime: int64FromWire(w.creation_time, 'experiment.creation_time') ?? 0,
    lastUpdateTime: int64FromWire(w.last_update_time, 'experiment.last_update_time') ?? 0,
    tags: tagsFromWire(w.tags),
  };
}

export function runInfoFromWire(
  wire: WireRunInfo | undefined,
  tags?: Record<string, string>,
): RunInfo {
  const w = record(wire, 'run_info');
  const runId = w.run_id || w.run_uuid;
  if (!runId) throw malformed('run_info.run_id', runId);
  return {
    runId,
    // Old servers leave run_name out and keep the name only in the mlflow.runName tag.
    runName: w.run_name ?? tags?.['mlflow.runName'] ?? '',
    experimentId: idFromWire(w.experiment_id, 'run_info.experiment_id'),
    userId: w.user_id ?? '',
    status: statusFromWire(w.status),
    startTime: int64FromWire(w.start_time, 'run_info.start_time') ?? 0,
    endTime: int64FromWire(w.end_time, 'run_info.end_time') ?? null,
    artifactUri: w.artifact_uri ?? '',
    lifecycleStage: stageFromWire(w.lifecycle_stage, 'run_info.lifecycle_stage'),
  };
}

export function runFromWire(wire: WireRun | undefined): Run {
  const w = record(wire, 'run');
  const data = w.data ?? {};
  const tags = tagsFromWire(data.tags);
  return {
    info: runInfoFromWire(w.info, tags),
    data: {
      metrics: (data.metrics ?? []).map(metricFromWire),
      params: tagsFromWire(data.params, 'param'),
      tags,
    },
  };
}

export function metricFromWire(wire: WireMetric): Metric {
  const w = record(wire, 'metric');
  if (typeof w.key !== 'string') throw malformed('metric.key', w.key);
  return {
    key: w.key,
    value: doubleFromWire(w.value, `metric '${w.key}' value`),
    timestamp: int64FromWire(w.timestamp, `metric '${w.key}' timestamp`) ?? 0,
    step: int64FromWire(w.step, `metric '${w.key}' step`) ?? 0,
  };
}

export function fileInfoFromWire(wire: WireFileInfo): FileInfo {
  const w = record(wire, 'file_info');
  if (typeof w.path !== 'string') throw malformed('file_info.path', w.path);
  const size = int64FromWire(w.file_size, 'file_info.file_size');
  return {
    path: w.path,
    isDir: w.is_dir === true,
    ...(size === undefined ? {} : { fileSize: size }),
  };
}

/** `[{key, value}]` -> a record (a later key wins); an omitted list is `{}`. */
export function tagsFromWire(
  wire: readonly WireKeyValue[] | undefined,
  what = 'tag',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of wire ?? []) {
    if (typeof kv?.key !== 'string') throw malformed(`${what} key`, kv?.key);
    out[kv.key] = kv.value ?? '';
  }
  return out;
}

/** A page from `{<items>: [...], next_page_token}`; an empty token means the last page. */
export function pageFromWire<W, T>(
  items: readonly W[] | undefined,
  token: string | undefined,
  convert: (item: W) => T,
): Page<T> {
  return { items: (items ?? []).map(convert), ...(token ? { nextPageToken: token } : {}) };
}

/** Artifact records from our native routes (camelCase already); checked, not converted. */
export function artifactRecordFromWire(wire: unknown): ArtifactRecord {
  const w = record(wire as Partial<ArtifactRecord> | undefined, 'artifact record');
  if (typeof w.path !== 'string') throw malformed('artifact record path', w.path);
  if (typeof w.manifestId !== 'string') throw malformed('artifact record manifestId', w.manifestId);
  const size = int64FromWire(w.size as WireInt64 | undefined, 'artifact record size');
  return { path: w.path, manifestId: w.manifestId, size: size ?? 0 };
}

/** int64 from a number or a decimal string; `undefined` (or null) when left out. */
export function int64FromWire(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && INT64.test(value)) return Number(value);
  throw malformed(what, value);
}

/** A double: a number, "NaN", "Infinity", "-Infinity" or a decimal string. */
export function doubleFromWire(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  throw malformed(what, value);
}

/** A double for a request body: JSON has no NaN or Infinity, so those go as strings. */
export function doubleToWire(value: number): number | 'NaN' | 'Infinity' | '-Infinity' {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

/**
 * A metric for a request. A value that is not a number is refused here, as the other stores do:
 * sent as a string, a proto-JSON server would read "1" as the double 1.
 */
export function metricToWire(metric: Metric): WireMetricOut {
  if (typeof metric.value !== 'number') {
    throw new MlopsError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value for metric '${metric.key}': expected a number (NaN and Infinity allowed), got ${typeof metric.value}.`,
      { details: { key: metric.key } },
    );
  }
  return {
    key: metric.key,
    value: doubleToWire(metric.value),
    timestamp: metric.timestamp,
    step: metric.step,
  };
}

/** Key-value pairs for a request, in order (duplicates kept: the server decides about them). */
export function keyValuesToWire(pairs: readonly KeyValue[] | undefined): WireKeyValue[] {
  return (pairs ?? []).map(({ key, value }) => ({ key, value }));
}

function idFromWire(value: unknown, what: string): string {
  // Old servers and clients sent experiment ids as integers.
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && value !== '') return value;
  throw malformed(what, value);
}

function statusFromWire(value: unknown): RunStatus {
  // Proto2 enums default to their first value, RUNNING, and a server may leave it out.
  if (value === undefined) return 'RUNNING';
  if (typeof value === 'number' && STATUS_BY_NUMBER[value]) return STATUS_BY_NUMBER[value];
  if (typeof value === 'string' && STATUSES.has(value)) return value as RunStatus;
  throw malformed('run_info.status', value);
}

function stageFromWire(value: unknown, what: string): LifecycleStage {
  if (value === undefined || value === 'active') return 'active';
  if (value === 'deleted') return 'deleted';
  throw malformed(what, value);
}

function record<T extends object>(value: T | undefined, what: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(what, value);
  }
  return value;
}

function malformed(what: string, value: unknown): MlopsError {
  const shown = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 80);
  return new MlopsError(
    'INTERNAL_ERROR',
    `The tracking server sent a malformed ${what}: ${shown}. Is it an MLflow-compatible server?`,
    { details: { field: what } },
  );
}
