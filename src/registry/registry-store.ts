import type { KeyValue, Page } from '../tracking/index.js';
import type { ModelVersion, RegisteredModel } from './entities.js';

export interface CreateRegisteredModelInput {
  readonly name: string;
  readonly description?: string;
  readonly tags?: readonly KeyValue[];
}

export interface SearchRegisteredModelsInput {
  /** `name = 'x'`, `name LIKE 'x%'` or `name ILIKE 'x%'` (clauses joined by AND); nothing else. */
  readonly filter?: string;
  /** `name`, `creation_timestamp` (or `timestamp`), `last_updated_timestamp`, each ASC/DESC. */
  readonly orderBy?: readonly string[];
  /** Default 100, at most 1000. */
  readonly maxResults?: number;
  readonly pageToken?: string;
}

export interface CreateModelVersionInput {
  readonly name: string;
  readonly source: string;
  readonly runId?: string;
  readonly description?: string;
  readonly tags?: readonly KeyValue[];
  readonly packageHash?: string;
}

export interface SearchModelVersionsInput {
  /** `name = 'x'` and/or `run_id = 'x'` (joined by AND); nothing else. */
  readonly filter?: string;
  /** Default and maximum 200 000. */
  readonly maxResults?: number;
  readonly pageToken?: string;
}

/**
 * Where registered models, their versions, tags and aliases live. Implementation:
 * `SqlRegistryStore` (SQLite, PostgreSQL); all pass `src/testing/registry-store.suite.ts`.
 *
 * Contract: versions are strings of positive integers handed out per model (max ever + 1, never
 * reused); unknown models, versions, aliases and tags throw `RESOURCE_DOES_NOT_EXIST` naming
 * them; a taken model name throws `RESOURCE_ALREADY_EXISTS`; bad input throws
 * `INVALID_PARAMETER_VALUE` naming the field and the rule. Returned objects are snapshots.
 */
export interface RegistryStore {
  createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  searchRegisteredModels(input?: SearchRegisteredModelsInput): Promise<Page<RegisteredModel>>;
  /** Versions, tags and aliases follow the model to its new name. */
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;
  updateRegisteredModel(
    name: string,
    input: { readonly description?: string },
  ): Promise<RegisteredModel>;
  /** Deletes the model with its versions, tags and aliases. */
  deleteRegisteredModel(name: string): Promise<void>;
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;

  createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  searchModelVersions(input?: SearchModelVersionsInput): Promise<Page<ModelVersion>>;
  updateModelVersion(
    name: string,
    version: string,
    input: { readonly description?: string },
  ): Promise<ModelVersion>;
  /** Deletes the version with its tags and the aliases pointing at it. */
  deleteModelVersion(name: string, version: string): Promise<void>;
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void>;
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void>;

  /** Points `alias` at `version`, moving it when it already points elsewhere. */
  setAlias(name: string, alias: string, version: string): Promise<void>;
  deleteAlias(name: string, alias: string): Promise<void>;
  getVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  /** The latest non-archived version, as a list of zero or one (MLflow's get-latest-versions). */
  getLatestVersions(name: string): Promise<readonly ModelVersion[]>;
  archiveModelVersion(name: string, version: string): Promise<ModelVersion>;
  restoreModelVersion(name: string, version: string): Promise<ModelVersion>;

  close(): Promise<void>;
}
