/** Registry entities, shaped after MLflow's `model_registry.proto` (camelCase, tags as a record). */

export const MODEL_VERSION_STATUSES = [
  'PENDING_REGISTRATION',
  'FAILED_REGISTRATION',
  'READY',
] as const;
export type ModelVersionStatus = (typeof MODEL_VERSION_STATUSES)[number];

/** MLflow's stages, reduced to the two we keep: archival is ours, other stages are gone. */
export type ModelVersionStage = 'None' | 'Archived';

export interface RegisteredModelAlias {
  readonly alias: string;
  /** The version number as a string ("1", "2", ...). */
  readonly version: string;
}

export interface RegisteredModel {
  readonly name: string;
  readonly description?: string;
  /** Epoch ms. */
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly tags: Readonly<Record<string, string>>;
  /** Sorted by alias. */
  readonly aliases: readonly RegisteredModelAlias[];
  /** The latest non-archived version, when there is one (MLflow's latest_versions). */
  readonly latestVersions?: readonly ModelVersion[];
}

export interface ModelVersion {
  readonly name: string;
  /** "1", "2", ...: integers per model, never reused after a delete. */
  readonly version: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly description?: string;
  readonly source: string;
  readonly runId?: string;
  readonly status: ModelVersionStatus;
  readonly statusMessage?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Aliases pointing at this version, sorted. */
  readonly aliases: readonly string[];
  readonly packageHash?: string;
  /** Our archival; MLflow's current_stage 'Archived' maps to it. */
  readonly archived: boolean;
  /** 'Archived' when archived, else 'None' (MLflow's current_stage). */
  readonly currentStage: ModelVersionStage;
}
