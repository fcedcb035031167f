import type { Experiment, FileInfo, Metric, Run, RunInfo } from '../tracking/index.js';

/**
 * Entities -> MLflow's JSON, as its server writes them: snake_case, enums by name, int64 as
 * numbers, empty lists and unset fields left out, non-finite doubles as "NaN" / "Infinity" /
 * "-Infinity" (`doubleToWire`), so plain JSON.stringify (and its fast path) writes the result.
 */

export interface WireKeyValue {
  key: string;
  value: string;
}

export interface WireExperiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
  tags?: WireKeyValue[];
}

export interface WireRunInfo {
  run_id: string;
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: string;
}

/** A double as protobuf's JSON mapping writes it: a number, or "NaN" / "Infinity" / "-Infinity". */
export type WireDouble = number | 'NaN' | 'Infinity' | '-Infinity';

export function doubleToWire(v: number): WireDouble {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

export interface WireMetric {
  key: string;
  value: WireDouble;
  timestamp: number;
  step: number;
}

export interface WireDatasetInput {
  tags?: WireKeyValue[];
  dataset: {
    name: string;
    digest: string;
    source_type: string;
    source: string;
    schema?: string;
    profile?: string;
  };
}

export interface WireRunInputs {
  dataset_inputs?: WireDatasetInput[];
  model_inputs?: { model_id: string }[];
}

export interface WireRunOutputs {
  model_outputs?: { model_id: string; step: number }[];
}

export interface WireRun {
  info: WireRunInfo;
  data: { metrics?: WireMetric[]; params?: WireKeyValue[]; tags?: WireKeyValue[] };
  inputs: WireRunInputs;
  outputs?: WireRunOutputs;
}

export interface WireFileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export function recordToWire(record: Readonly<Record<string, string>>): WireKeyValue[] | undefined {
  const keys = Object.keys(record);
  if (keys.length === 0) return undefined;
  return keys.map((key) => ({ key, value: record[key]! }));
}

export function experimentToWire(e: Experiment): WireExperiment {
  const wire: WireExperiment = {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    creation_time: e.creationTime,
    last_update_time: e.lastUpdateTime,
  };
  const tags = recordToWire(e.tags);
  if (tags) wire.tags = tags;
  return wire;
}

export function runInfoToWire(info: RunInfo): WireRunInfo {
  const wire: WireRunInfo = {
    run_id: info.runId,
    run_uuid: info.runId,
    run_name: info.runName,
    experiment_id: info.experimentId,
    user_id: info.userId,
    status: info.status,
    start_time: info.startTime,
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
  };
  if (info.endTime !== null) wire.end_time = info.endTime;
  return wire;
}

export function metricToWire(m: Metric): WireMetric {
  return { key: m.key, value: doubleToWire(m.value), timestamp: m.timestamp, step: m.step };
}

export function runToWire(run: Run, inputs: WireRunInputs = {}, outputs?: WireRunOutputs): WireRun {
  const data: WireRun['data'] = {};
  if (run.data.metrics.length > 0) data.metrics = run.data.metrics.map(metricToWire);
  const params = recordToWire(run.data.params);
  if (params) data.params = params;
  const tags = recordToWire(run.data.tags);
  if (tags) data.tags = tags;
  const wire: WireRun = { info: runInfoToWire(run.info), data, inputs };
  if (outputs) wire.outputs = outputs;
  return wire;
}

export function fileInfoToWire(f: FileInfo): WireFileInfo {
  const wire: WireFileInfo = { path: f.path, is_dir: f.isDir };
  if (!f.isDir && f.fileSize !== undefined) wire.file_size = f.fileSize;
  return wire;
}

/** Drops keys whose value is undefined or an empty array (MLflow omits empty fields). */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) delete obj[key];
  }
  return obj;
}
