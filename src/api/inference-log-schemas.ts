import { z } from 'zod';
import type {
  FeedbackRecord,
  InferenceQuery,
  InferenceRecord,
  InferenceRoute,
  JoinedInference,
} from '../serving/index.js';
import { doubleToWire, type WireDouble } from './to-wire.js';
import { double, int64 } from './zod-fields.js';

/**
 * The inference log routes (/api/mlops/inference-log, /api/mlops/feedback): snake_case JSON,
 * doubles as protobuf writes them. The zod schemas check shapes and types; what the values must
 * be (finite, dates, ids) is the store's check, so a bad record gets the same message locally
 * and over HTTP.
 */

/** Records per POST; the writer's batches are far smaller, and the body limit is sized for this. */
export const MAX_RECORDS_PER_REQUEST = 10_000;
/** Rows per GET answer; a larger result must be narrowed by `since`/`until` or `limit`. */
export const MAX_ROWS_PER_QUERY = 50_000;

export interface WireInferenceRecord {
  prediction_id: string;
  timestamp: number;
  model_name: string;
  model_version: string;
  input_date?: string;
  target_date?: string;
  horizon_step: number;
  inputs: WireDouble[];
  prediction: WireDouble;
  latency_ms: WireDouble;
  route: string;
  actual?: WireDouble;
}

export interface WireFeedbackRecord {
  feedback_id: string;
  timestamp: number;
  prediction_id?: string;
  target_date?: string;
  model_name?: string;
  actual: WireDouble;
}

const wirePrediction = z.object({
  prediction_id: z.string(),
  timestamp: int64,
  model_name: z.string(),
  model_version: z.string(),
  input_date: z.string().optional(),
  target_date: z.string().optional(),
  horizon_step: int64,
  inputs: z.array(double),
  prediction: double,
  latency_ms: double,
  route: z.string(),
});

const wireFeedback = z.object({
  feedback_id: z.string(),
  timestamp: int64,
  prediction_id: z.string().optional(),
  target_date: z.string().optional(),
  model_name: z.string().optional(),
  actual: double,
});

export const AppendPredictions = z.object({
  records: z.array(wirePrediction).max(MAX_RECORDS_PER_REQUEST),
});
export const AppendFeedback = z.object({
  records: z.array(wireFeedback).max(MAX_RECORDS_PER_REQUEST),
});
export const QueryInferenceLog = z.object({
  model_name: z.string().optional(),
  model_version: z.string().optional(),
  since: int64.optional(),
  until: int64.optional(),
  limit: int64.optional(),
});

export function inferenceRecordToWire(r: InferenceRecord | JoinedInference): WireInferenceRecord {
  const actual = 'actual' in r ? r.actual : undefined;
  return {
    prediction_id: r.predictionId,
    timestamp: r.timestamp,
    model_name: r.modelName,
    model_version: r.modelVersion,
    ...(r.inputDate !== undefined ? { input_date: r.inputDate } : {}),
    ...(r.targetDate !== undefined ? { target_date: r.targetDate } : {}),
    horizon_step: r.horizonStep,
    inputs: r.inputs.map(doubleToWire),
    prediction: doubleToWire(r.prediction),
    latency_ms: doubleToWire(r.latencyMs),
    route: r.route,
    ...(actual !== undefined ? { actual: doubleToWire(actual) } : {}),
  };
}

/** A parsed wire record (numbers already decoded by the schema) as the store's record. */
export function inferenceRecordFromWire(
  w: z.output<typeof wirePrediction> & { actual?: number | undefined },
): JoinedInference {
  return {
    predictionId: w.prediction_id,
    timestamp: w.timestamp,
    modelName: w.model_name,
    modelVersion: w.model_version,
    ...(w.input_date !== undefined ? { inputDate: w.input_date } : {}),
    ...(w.target_date !== undefined ? { targetDate: w.target_date } : {}),
    horizonStep: w.horizon_step,
    inputs: w.inputs,
    prediction: w.prediction,
    latencyMs: w.latency_ms,
    route: w.route as InferenceRoute,
    ...(w.actual !== undefined ? { actual: w.actual } : {}),
  };
}

export function feedbackRecordToWire(r: FeedbackRecord): WireFeedbackRecord {
  return {
    feedback_id: r.feedbackId,
    timestamp: r.timestamp,
    ...(r.predictionId !== undefined ? { prediction_id: r.predictionId } : {}),
    ...(r.targetDate !== undefined ? { target_date: r.targetDate } : {}),
    ...(r.modelName !== undefined ? { model_name: r.modelName } : {}),
    actual: doubleToWire(r.actual),
  };
}

export function feedbackRecordFromWire(w: z.output<typeof wireFeedback>): FeedbackRecord {
  return {
    feedbackId: w.feedback_id,
    timestamp: w.timestamp,
    ...(w.prediction_id !== undefined ? { predictionId: w.prediction_id } : {}),
    ...(w.target_date !== undefined ? { targetDate: w.target_date } : {}),
    ...(w.model_name !== undefined ? { modelName: w.model_name } : {}),
    actual: w.actual,
  };
}

export function inferenceQueryFromWire(w: z.output<typeof QueryInferenceLog>): InferenceQuery {
  return {
    ...(w.model_name !== undefined ? { modelName: w.model_name } : {}),
    ...(w.model_version !== undefined ? { modelVersion: w.model_version } : {}),
    ...(w.since !== undefined ? { since: w.since } : {}),
    ...(w.until !== undefined ? { until: w.until } : {}),
    ...(w.limit !== undefined ? { limit: w.limit } : {}),
  };
}

/** Parses the answer of GET /api/mlops/inference-log (the client's side). */
export const InferenceLogAnswer = z.object({
  predictions: z.array(wirePrediction.extend({ actual: double.optional() })).optional(),
});
export const FeedbackAnswer = z.object({ feedback: z.array(wireFeedback).optional() });
