import type { Generated } from 'kysely';

/** Table shapes, as Kysely sees them. Times are epoch milliseconds. */
export interface SchemaTable {
  version: number;
  applied_at: number;
}

export interface ExperimentsTable {
  experiment_id: Generated<number>;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
}

export interface ExperimentTagsTable {
  experiment_id: number;
  key: string;
  value: string;
}

export interface RunsTable {
  run_uuid: string;
  name: string;
  experiment_id: number;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  source_type: string;
  source_name: string;
  lifecycle_stage: string;
  artifact_uri: string;
  deleted_time: number | null;
}

export interface KeyValueTable {
  run_uuid: string;
  key: string;
  value: string;
}

export interface MetricsTable {
  run_uuid: string;
  key: string;
  /** 0 when is_nan = 1: SQLite binds NaN as NULL, so NaN lives in the flag (as MLflow does). */
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}

export interface ArtifactsTable {
  run_uuid: string;
  path: string;
  manifest_id: string;
  size: number;
}

export interface LineageEdgesTable {
  src_type: string;
  src_id: string;
  dst_type: string;
  dst_id: string;
  relation: string;
  created_at: number;
  attrs: string;
}

export interface Schema {
  mlops_schema: SchemaTable;
  experiments: ExperimentsTable;
  experiment_tags: ExperimentTagsTable;
  runs: RunsTable;
  params: KeyValueTable;
  tags: KeyValueTable;
  metrics: MetricsTable;
  latest_metrics: MetricsTable;
  artifacts: ArtifactsTable;
  lineage_edges: LineageEdgesTable;
  run_inputs: RunInputsTable;
  logged_models: LoggedModelsTable;
  logged_model_tags: LoggedModelKeyValueTable;
  logged_model_params: LoggedModelKeyValueTable;
  run_outputs: RunOutputsTable;
  logged_model_metrics: LoggedModelMetricsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  experiment_permissions: ExperimentPermissionsTable;
  registered_models: RegisteredModelsTable;
  registered_model_tags: RegisteredModelTagsTable;
  model_versions: ModelVersionsTable;
  model_version_tags: ModelVersionTagsTable;
  registered_model_aliases: RegisteredModelAliasesTable;
  registered_model_permissions: RegisteredModelPermissionsTable;
  inference_log: InferenceLogTable;
  inference_feedback: InferenceFeedbackTable;
  monitor_snapshots: MonitorSnapshotsTable;
  monitor_triggers: MonitorTriggersTable;
}

export interface RunInputsTable {
  run_uuid: string;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
  tags: string;
}

export interface LoggedModelsTable {
  model_id: string;
  experiment_id: number;
  name: string;
  artifact_location: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms: number;
  status: string;
  status_message: string | null;
  creator_id: string | null;
  model_type: string | null;
  source_run_id: string | null;
  lifecycle_stage: string;
}

export interface LoggedModelKeyValueTable {
  model_id: string;
  key: string;
  value: string;
}

export interface RunOutputsTable {
  run_uuid: string;
  model_id: string;
  step: number;
}

export interface UsersTable {
  username: string;
  password_hash: string;
  is_admin: number;
  created_at: number;
}

export interface ApiTokensTable {
  token_hash: string;
  username: string;
  name: string;
  created_at: number;
  expires_at: number | null;
}

export interface ExperimentPermissionsTable {
  experiment_id: string;
  username: string;
  permission: string;
}

export interface LoggedModelMetricsTable {
  model_id: string;
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
  run_uuid: string;
  dataset_name: string | null;
  dataset_digest: string | null;
}

export interface RegisteredModelsTable {
  name: string;
  description: string | null;
  creation_timestamp: number;
  last_updated_timestamp: number;
  /** The highest version number ever handed out (deleted versions' numbers are not reused). */
  last_version: Generated<number>;
}

export interface RegisteredModelTagsTable {
  name: string;
  key: string;
  value: string;
}

export interface ModelVersionsTable {
  name: string;
  version: number;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description: string | null;
  source: string;
  run_id: string | null;
  status: string;
  status_message: string | null;
  package_hash: string | null;
  archived: Generated<number>;
}

export interface ModelVersionTagsTable {
  name: string;
  version: number;
  key: string;
  value: string;
}

export interface RegisteredModelAliasesTable {
  name: string;
  alias: string;
  version: number;
}

export interface RegisteredModelPermissionsTable {
  name: string;
  username: string;
  permission: string;
}

export interface InferenceLogTable {
  prediction_id: string;
  timestamp: number;
  model_name: string;
  model_version: string;
  input_date: string | null;
  target_date: string | null;
  horizon_step: number;
  inputs: string;
  prediction: number;
  latency_ms: number;
  route: string;
}

export interface InferenceFeedbackTable {
  feedback_id: string;
  timestamp: number;
  prediction_id: string | null;
  target_date: string | null;
  model_name: string | null;
  actual: number;
}

export interface MonitorSnapshotsTable {
  id: string;
  created_at: number;
  monitor: string;
  model_name: string | null;
  model_version: string | null;
  window_start: number | null;
  window_end: number | null;
  rows: number;
  /** 0 or 1. */
  dataset_drift: number;
  drifted_share: number;
  /** JSON text. */
  metrics: string;
  /** JSON text. */
  checks: string;
  /** 0 or 1. */
  passed: number;
  report_path: string | null;
}

export interface MonitorTriggersTable {
  id: string;
  monitor: string;
  snapshot_id: string;
  action: string;
  started_at: number;
  finished_at: number | null;
  status: string;
  detail: string | null;
  run_id: string | null;
}
