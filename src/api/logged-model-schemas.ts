import { z } from 'zod';
import type { LoggedModel } from '../tracking/index.js';
import { doubleToWire, recordToWire, type WireDouble, type WireKeyValue } from './to-wire.js';
import { idString, int64, keyValues, repeated } from './zod-fields.js';

/** MLflow 3.x logged-model RPCs (service.proto: CreateLoggedModel, FinalizeLoggedModel, ...). */

export const LOGGED_MODEL_STATUS_NAMES = [
  'LOGGED_MODEL_STATUS_UNSPECIFIED',
  'LOGGED_MODEL_PENDING',
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
] as const;

const status = z
  .union([z.enum(LOGGED_MODEL_STATUS_NAMES), z.number().int().min(0).max(3)])
  .transform((v) => (typeof v === 'number' ? LOGGED_MODEL_STATUS_NAMES[v]! : v));

export const CreateLoggedModel = z.object({
  experiment_id: idString,
  name: z.string().optional(),
  model_type: z.string().optional(),
  source_run_id: z.string().optional(),
  params: keyValues.optional(),
  tags: keyValues.optional(),
});
export const ModelIdOnly = z.object({ model_id: z.string() });
export const FinalizeLoggedModel = z.object({
  model_id: z.string(),
  status,
  status_message: z.string().optional(),
});
export const SetLoggedModelTags = z.object({ model_id: z.string(), tags: keyValues.optional() });
export const DeleteLoggedModelTag = z.object({ model_id: z.string(), tag_key: z.string() });
export const LogLoggedModelParams = z.object({
  model_id: z.string(),
  params: keyValues.optional(),
});
export const SearchLoggedModels = z.object({
  experiment_ids: repeated(idString).optional(),
  filter: z.string().optional(),
  max_results: int64.optional(),
  page_token: z.string().optional(),
});
export const ListLoggedModelArtifacts = z.object({
  model_id: z.string(),
  artifact_directory_path: z.string().optional(),
  page_token: z.string().optional(),
});

export interface WireLoggedModel {
  info: {
    model_id: string;
    experiment_id: string;
    name: string;
    creation_timestamp_ms: number;
    last_updated_timestamp_ms: number;
    artifact_uri: string;
    status: string;
    creator_id?: string;
    model_type?: string;
    source_run_id?: string;
    status_message?: string;
    tags?: WireKeyValue[];
  };
  data: { params?: WireKeyValue[]; metrics?: WireModelMetric[] };
}

export interface WireModelMetric {
  key: string;
  value: WireDouble;
  timestamp: number;
  step: number;
  run_id: string;
  model_id: string;
  dataset_name?: string;
  dataset_digest?: string;
}

export function loggedModelToWire(m: LoggedModel): WireLoggedModel {
  const tags = recordToWire(m.tags);
  const params = recordToWire(m.params);
  return {
    info: {
      model_id: m.modelId,
      experiment_id: m.experimentId,
      name: m.name,
      creation_timestamp_ms: m.creationTimestampMs,
      last_updated_timestamp_ms: m.lastUpdatedTimestampMs,
      artifact_uri: m.artifactLocation,
      status: m.status,
      ...(m.creatorId ? { creator_id: m.creatorId } : {}),
      ...(m.modelType ? { model_type: m.modelType } : {}),
      ...(m.sourceRunId ? { source_run_id: m.sourceRunId } : {}),
      ...(m.statusMessage ? { status_message: m.statusMessage } : {}),
      ...(tags ? { tags } : {}),
    },
    data: {
      ...(params ? { params } : {}),
      ...(m.metrics.length > 0
        ? {
            metrics: m.metrics.map((x) => ({
              key: x.key,
              value: doubleToWire(x.value),
              timestamp: x.timestamp,
              step: x.step,
              run_id: x.runId,
              model_id: m.modelId,
              ...(x.datasetName !== undefined ? { dataset_name: x.datasetName } : {}),
              ...(x.datasetDigest !== undefined ? { dataset_digest: x.datasetDigest } : {}),
            })),
          }
        : {}),
    },
  };
}
