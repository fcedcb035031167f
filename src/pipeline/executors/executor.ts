import type { LockedOut } from '../lock/lock-types.js';
import type { StageSpec } from '../spec/pipeline-spec.js';

/**
 * A stage input as stored in the byte store (file manifest or directory listing id), so that an
 * executor running elsewhere can materialize it by hash. Deps, and the params files a stage reads.
 */
export interface StoredInput {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly files?: number;
  readonly manifest: string;
}

/** One stage execution handed to an executor. */
export interface StageTask {
  readonly stage: StageSpec;
  /** Workspace root (absolute) on the machine that schedules. */
  readonly root: string;
  /** The shell commands to run in `stage.wdir` (for `uses` stages: the `mlops step run` line). */
  readonly commands: readonly string[];
  /** Extra environment for the commands (MLOPS_STAGE, MLOPS_RUN_ID, ...). */
  readonly env: Readonly<Record<string, string>>;
  /** Deps and params files, stored; executors that run in the workspace ignore them. */
  readonly inputs: readonly StoredInput[];
  /** The tracking run of this execution (a child of the pipeline run), when tracked. */
  readonly runId?: string;
}

/** Where a stage's output lines go while it runs. */
export interface StageIo {
  readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  readonly signal?: AbortSignal;
  /** Told the process-group id of each command as it starts (each command leads its own group). */
  readonly onSpawn?: (pgid: number) => void;
}

export interface StageOutcome {
  /** 0 when every command succeeded. */
  readonly exitCode: number;
  /** Set when the command was killed by a signal. */
  readonly signal?: string;
  readonly durationMs: number;
  /** stdout and stderr, interleaved as they arrived. */
  readonly log: string;
  /**
   * Executors that ran the stage elsewhere return its outs as stored in the shared store (the
   * scheduler lands them in the workspace); undefined means the outs are in the workspace.
   */
  readonly outs?: readonly LockedOut[];
  /** Which worker ran it (queue executor). */
  readonly worker?: string;
}

/**
 * Runs stage commands: `LocalExecutor` (child processes in the workspace) or `QueueExecutor`
 * (BullMQ jobs taken by `mlops worker` processes). The scheduler decides what runs and when;
 * an executor only runs what it is given.
 */
export interface Executor {
  readonly kind: string;
  /** True when stages run away from the workspace: deps must be stored first and outs come back stored. */
  readonly remote: boolean;
  execute(task: StageTask, io: StageIo): Promise<StageOutcome>;
  close(): Promise<void>;
}
