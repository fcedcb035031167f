import type { BlobStore } from '../../blobs/index.js';
import type { Executor } from '../executors/executor.js';
import type { LockedOut, LockedStage } from '../lock/lock-types.js';
import type { PipelineSpec, StageSpec } from '../spec/pipeline-spec.js';

/** What happened to a stage in one `repro`. */
export type StageStatus =
  /** Its commands ran and succeeded. */
  | 'ran'
  /** The run-cache (or the lock) held its outs for these inputs: restored instead of run. */
  | 'cache-hit'
  /** Up to date, frozen, or not selected. */
  | 'skipped'
  /** Its commands failed (or its outs could not be stored). */
  | 'failed'
  /** An upstream stage failed, so it was not started. */
  | 'not-run'
  /** `--dry`: it would run. */
  | 'would-run';

export interface StageReport {
  readonly name: string;
  readonly status: StageStatus;
  /** Why it ran (or would), or why it was skipped. */
  readonly reasons: readonly string[];
  readonly durationMs: number;
  readonly exitCode?: number;
  /** Workspace-relative path of the captured output. */
  readonly logFile?: string;
  /** The stage's child run, when tracked. */
  readonly runId?: string;
  readonly worker?: string;
  /** The message of the error that failed it (commands failing is exitCode, not this). */
  readonly error?: string;
}

export interface ReproReport {
  readonly stages: readonly StageReport[];
  /** The first stage that failed. */
  readonly failed?: StageReport;
  readonly pipelineRunId?: string;
  readonly dry: boolean;
}

/** The graph the scheduler walks (see `buildDag`). */
export interface DagView {
  readonly order: readonly string[];
  upstreamOf(name: string): readonly string[];
}

export type ReproEvent =
  | {
      readonly type: 'start';
      readonly stage: string;
      readonly reasons: readonly string[];
      readonly commands: readonly string[];
    }
  | {
      readonly type: 'line';
      readonly stage: string;
      readonly line: string;
      readonly stream: 'stdout' | 'stderr';
    }
  | { readonly type: 'done'; readonly report: StageReport };

/** Records a repro in tracking (pipeline run, a child run per stage, lineage); optional. */
export interface ReproTracker {
  readonly pipelineRunId: string;
  /** Creates (once) and returns the stage's child run id. */
  stageRun(stage: StageSpec): Promise<string>;
  stageFinished(stage: StageSpec, report: StageReport, details: StageDetails): Promise<void>;
  finish(report: ReproReport): Promise<void>;
}

export interface StageDetails {
  /** The lock entry as it stands after the stage (undefined when it has none). */
  readonly entry?: LockedStage;
  /** Captured output (only when it ran). */
  readonly log?: string;
  /** Versioned datasets among the deps: path and sha256 of the version used. */
  readonly datasets: readonly { readonly path: string; readonly sha256: string }[];
  readonly outs: readonly LockedOut[];
}

export interface ReproOptions {
  readonly root: string;
  /** `.mlops` (stat cache, run-cache, logs). */
  readonly stateDir: string;
  readonly spec: PipelineSpec;
  readonly dag: DagView;
  /** Stages selected to reproduce (default all); others are reported skipped. */
  readonly selected?: ReadonlySet<string>;
  readonly force?: boolean;
  readonly dry?: boolean;
  /** Stages executing at once (default 1). */
  readonly jobs?: number;
  readonly executor: Executor;
  /** The local byte store (stage outs, run-cache restores). */
  readonly blobs: BlobStore;
  /** The shared store remote executors read inputs from and write outs to. */
  readonly remoteBlobs?: BlobStore;
  /** The shell command that runs a `uses` stage (the `mlops step run` line). */
  readonly stepCommand: (stage: StageSpec) => string;
  /** Extra environment for every stage. */
  readonly env?: Readonly<Record<string, string>>;
  readonly tracker?: ReproTracker;
  readonly onEvent?: (event: ReproEvent) => void;
}
