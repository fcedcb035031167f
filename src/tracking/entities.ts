/** Tracking entities, shaped like MLflow's (camelCase here; the server maps to snake_case). */

export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type LifecycleStage = 'active' | 'deleted';
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface Experiment {
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation: string;
  readonly lifecycleStage: LifecycleStage;
  readonly creationTime: number;
  readonly lastUpdateTime: number;
  readonly tags: Readonly<Record<string, string>>;
}

export interface RunInfo {
  readonly runId: string;
  readonly runName: string;
  readonly experimentId: string;
  readonly userId: string;
  readonly status: RunStatus;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly artifactUri: string;
  readonly lifecycleStage: LifecycleStage;
}

/** One point of a metric's history. `value` may be NaN or +-Infinity. */
export interface Metric {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
}

export interface RunData {
  /** The latest point per key (by step, then timestamp, then value). */
  readonly metrics: readonly Metric[];
  readonly params: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

export interface Run {
  readonly info: RunInfo;
  readonly data: RunData;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; absent on the last page. */
  readonly nextPageToken?: string;
}

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** One stored file under a run's artifact root: a path and the byte store manifest holding it. */
export interface ArtifactRecord {
  readonly path: string;
  readonly manifestId: string;
  readonly size: number;
}

/** MLflow's FileInfo: a file or a directory under a run's artifact root. */
export interface FileInfo {
  readonly path: string;
  readonly isDir: boolean;
  readonly fileSize?: number;
}

/** MLflow system tags the clients write and the UI reads. */
export const SystemTags = {
  runName: 'mlflow.runName',
  user: 'mlflow.user',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  gitCommit: 'mlflow.source.git.commit',
  gitBranch: 'mlflow.source.git.branch',
  gitRepoUrl: 'mlflow.source.git.repoURL',
  parentRunId: 'mlflow.parentRunId',
  note: 'mlflow.note.content',
} as const;
