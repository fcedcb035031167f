import type {
  ArtifactRecord,
  Experiment,
  KeyValue,
  Metric,
  Page,
  Run,
  RunInfo,
  RunStatus,
  ViewType,
} from './entities.js';

export interface CreateExperimentInput {
  readonly name: string;
  readonly artifactLocation?: string;
  readonly tags?: readonly KeyValue[];
}

export interface CreateRunInput {
  readonly experimentId: string;
  readonly runName?: string;
  readonly userId?: string;
  /** Epoch ms; defaults to now. */
  readonly startTime?: number;
  /** Includes system tags (`mlflow.parentRunId`, `mlflow.source.git.commit`, ...). */
  readonly tags?: readonly KeyValue[];
}

export interface UpdateRunInput {
  readonly status?: RunStatus;
  readonly endTime?: number;
  readonly runName?: string;
}

export interface LogBatchInput {
  readonly metrics?: readonly Metric[];
  readonly params?: readonly KeyValue[];
  readonly tags?: readonly KeyValue[];
}

export interface SearchExperimentsInput {
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly maxResults?: number;
  readonly pageToken?: string;
  readonly viewType?: ViewType;
}

export interface SearchRunsInput {
  readonly experimentIds: readonly string[];
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly maxResults?: number;
  readonly pageToken?: string;
  readonly viewType?: ViewType;
}

/**
 * Where experiments, runs, params, metrics, tags and artifact records live. Implementations:
 * `SqlTrackingStore` (SQLite, PostgreSQL), and later an HTTP one; all pass
 * `src/testing/tracking-store.suite.ts`.
 *
 * Contract: ids are strings; unknown ids throw `RESOURCE_DOES_NOT_EXIST`; bad keys or values throw
 * `INVALID_PARAMETER_VALUE` naming the key; `logBatch` is all-or-nothing; returned objects are
 * snapshots that later writes do not change.
 */
export interface TrackingStore {
  createExperiment(input: CreateExperimentInput): Promise<string>;
  getExperiment(experimentId: string): Promise<Experiment>;
  /** `undefined` when no experiment (active or deleted) has that name. */
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  searchExperiments(input?: SearchExperimentsInput): Promise<Page<Experiment>>;
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>;
  /** `RESOURCE_DOES_NOT_EXIST` when the experiment has no such tag. */
  deleteExperimentTag(experimentId: string, key: string): Promise<void>;
  deleteExperiment(experimentId: string): Promise<void>;
  restoreExperiment(experimentId: string): Promise<void>;

  createRun(input: CreateRunInput): Promise<Run>;
  getRun(runId: string): Promise<Run>;
  updateRun(runId: string, input: UpdateRunInput): Promise<RunInfo>;
  deleteRun(runId: string): Promise<void>;
  restoreRun(runId: string): Promise<void>;
  logBatch(runId: string, batch: LogBatchInput): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;
  getMetricHistory(
    runId: string,
    key: string,
    page?: { maxResults?: number; pageToken?: string },
  ): Promise<Page<Metric>>;
  searchRuns(input: SearchRunsInput): Promise<Page<Run>>;

  /** Records files stored in the byte store under the run (replacing same paths). */
  recordArtifacts(runId: string, records: readonly ArtifactRecord[]): Promise<void>;
  /** Every record whose path is `prefix` or lies under it (all when prefix is empty). */
  listArtifactRecords(runId: string, prefix?: string): Promise<readonly ArtifactRecord[]>;
  /** Every manifest id referenced by any run (roots for byte store gc). */
  artifactManifestIds(): AsyncIterable<string>;

  close(): Promise<void>;
}
