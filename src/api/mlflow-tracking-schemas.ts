import { z } from 'zod';
import {
  double,
  idString,
  int64,
  keyValue,
  keyValues,
  repeated,
  runStatus,
  viewType,
} from './zod-fields.js';

/**
 * Request schemas of MLflow's tracking RPCs (service.proto), field for field. Unknown fields are
 * stripped (MLflow parses with ignore_unknown_fields); required fields fail with MLflow's
 * "Missing value for required parameter" through the server's error formatting.
 */

const runRef = {
  run_id: z.string().optional(),
  /** Deprecated alias of run_id; old clients send only this. */
  run_uuid: z.string().optional(),
};

export const CreateExperiment = z.object({
  name: z.string(),
  artifact_location: z.string().optional(),
  tags: keyValues.optional(),
});
export const GetExperiment = z.object({ experiment_id: idString });
export const GetExperimentByName = z.object({ experiment_name: z.string() });
export const SearchExperiments = z.object({
  max_results: int64.optional(),
  page_token: z.string().optional(),
  filter: z.string().optional(),
  order_by: repeated(z.string()).optional(),
  view_type: viewType.optional(),
});
export const UpdateExperiment = z.object({ experiment_id: idString, new_name: z.string() });
export const ExperimentOnly = z.object({ experiment_id: idString });
export const SetExperimentTag = z.object({
  experiment_id: idString,
  key: z.string(),
  value: z.string(),
});
export const DeleteExperimentTag = z.object({ experiment_id: idString, key: z.string() });

export const CreateRun = z.object({
  experiment_id: idString.optional(),
  user_id: z.string().optional(),
  run_name: z.string().optional(),
  start_time: int64.optional(),
  tags: keyValues.optional(),
});
export const RunOnly = z.object(runRef);
export const UpdateRun = z.object({
  ...runRef,
  status: runStatus.optional(),
  end_time: int64.optional(),
  run_name: z.string().optional(),
});

export const metric = z.object({
  key: z.string(),
  value: double,
  timestamp: int64,
  step: int64.optional().default(0),
  /** MLflow 3.x: the logged model the point also belongs to (its `data.metrics`). */
  model_id: z.string().optional(),
  dataset_name: z.string().optional(),
  dataset_digest: z.string().optional(),
});
export const LogMetric = z.object({ ...runRef, ...metric.shape });
export const LogParam = z.object({ ...runRef, key: z.string(), value: z.string() });
export const SetTag = z.object({ ...runRef, key: z.string(), value: z.string() });
export const DeleteTag = z.object({ run_id: z.string(), key: z.string() });
export const LogBatch = z.object({
  run_id: z.string(),
  metrics: repeated(metric).optional(),
  params: keyValues.optional(),
  tags: keyValues.optional(),
});

const dataset = z.object({
  name: z.string(),
  digest: z.string(),
  source_type: z.string(),
  source: z.string(),
  schema: z.string().optional(),
  profile: z.string().optional(),
});
export const LogInputs = z.object({
  run_id: z.string(),
  datasets: repeated(z.object({ tags: keyValues.optional(), dataset })).optional(),
  models: repeated(z.object({ model_id: z.string() })).optional(),
});
export const LogOutputs = z.object({
  run_id: z.string(),
  models: repeated(z.object({ model_id: z.string(), step: int64.optional().default(0) })),
});
export const LogModel = z.object({ run_id: z.string(), model_json: z.string() });

export const SearchRuns = z.object({
  experiment_ids: repeated(idString).optional(),
  filter: z.string().optional(),
  run_view_type: viewType.optional(),
  max_results: int64.optional(),
  order_by: repeated(z.string()).optional(),
  page_token: z.string().optional(),
});

export const GetMetricHistory = z.object({
  ...runRef,
  metric_key: z.string(),
  page_token: z.string().optional(),
  max_results: int64.optional(),
});
export const GetMetricHistoryBulkInterval = z.object({
  run_ids: repeated(z.string()),
  metric_key: z.string(),
  start_step: int64.optional(),
  end_step: int64.optional(),
  max_results: int64.optional(),
});

export const ListArtifacts = z.object({
  ...runRef,
  path: z.string().optional(),
  page_token: z.string().optional(),
});

export const ListProxiedArtifacts = z.object({ path: z.string().optional() });

/** A key-value with a required value (params and tags of logged models). */
export const strictKeyValues = repeated(keyValue);
