import type { StoredInput } from '../executors/executor.js';
import type { LockedOut } from '../lock/lock-types.js';
import type { StageSpec } from '../spec/pipeline-spec.js';

/**
 * What travels through Redis between `QueueExecutor` and `mlops worker`: a stage job's data, its
 * progress batches and its result. Everything is JSON; no credentials ever (a worker takes S3
 * credentials from its own environment or AWS profile).
 */

/** Bumped when the job format changes incompatibly; a worker refuses jobs of another version. */
export const STAGE_JOB_VERSION = 1;
/** The queue `mlops worker` and `mlops repro --executor queue` use unless told otherwise. */
export const DEFAULT_QUEUE = 'mlops';
/** The BullMQ key prefix (`<prefix>:<queue>:...` in Redis). */
export const DEFAULT_PREFIX = 'mlops';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** The exit code of a stage stopped by cancellation (as a shell reports SIGINT). */
export const CANCELLED_EXIT_CODE = 130;
/** The custom queue event that asks the worker running a job to stop it. */
export const CANCEL_EVENT = 'mlops:cancel';

/** `MLOPS_REDIS_URL`, else Redis on this machine. */
export function defaultRedisUrl(): string {
  const fromEnv = process.env['MLOPS_REDIS_URL'];
  return fromEnv === undefined || fromEnv === '' ? DEFAULT_REDIS_URL : fromEnv;
}

/** Where the coordinator and the workers meet: a queue in Redis. */
export interface QueueTarget {
  /** Default `MLOPS_REDIS_URL`, else `redis://127.0.0.1:6379`. */
  readonly redisUrl?: string;
  /** Default `mlops`. */
  readonly queue?: string;
  /** BullMQ key prefix (default `mlops`); coordinator and workers must use the same. */
  readonly prefix?: string;
}

/** `target` with the defaults filled in. */
export function resolveQueueTarget(target: QueueTarget): Required<QueueTarget> {
  return {
    redisUrl: target.redisUrl ?? defaultRedisUrl(),
    queue: target.queue ?? DEFAULT_QUEUE,
    prefix: target.prefix ?? DEFAULT_PREFIX,
  };
}

/**
 * The byte store the coordinator and the workers share: a remote's settings without its
 * credentials (nor its AWS profile, which names a file on the coordinator's machine).
 */
export interface SharedRemote {
  /** For messages. */
  readonly name?: string;
  /** `s3://bucket/prefix`, or an absolute directory every worker mounts at the same path. */
  readonly url: string;
  readonly endpoint?: string;
  readonly region?: string;
}

export interface StageJobData {
  readonly version: typeof STAGE_JOB_VERSION;
  readonly stage: StageSpec;
  readonly commands: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly inputs: readonly StoredInput[];
  readonly runId?: string;
  readonly remote: SharedRemote;
  /** The commands of one attempt are stopped after this long (the stage fails, no retry). */
  readonly attemptTimeoutMs?: number;
  /** Set by a coordinator that gave up on the stage, so a worker that takes it later skips it. */
  readonly cancelled?: boolean;
}

/** One line of output: stream (`o` stdout, `e` stderr) and text. */
export type JobLine = readonly ['o' | 'e', string];

/** A batch of output lines, sent as the job's progress while the stage runs. */
export interface ProgressBatch {
  /** One attempt of the job (a retried job starts a new attempt, numbering lines from 0). */
  readonly attempt: string;
  readonly worker: string;
  /** Index of the first line of the batch within the attempt. */
  readonly from: number;
  readonly lines: readonly JobLine[];
}

export interface StageJobResult {
  readonly attempt: string;
  readonly worker: string;
  readonly exitCode: number;
  readonly signal?: string;
  readonly durationMs: number;
  readonly log: string;
  /** One character per line of `log` (`o` or `e`), so that unstreamed lines keep their stream. */
  readonly streams: string;
  /** Lines dropped from the start of `log` to keep the result small. */
  readonly dropped: number;
  /** Stored in the shared remote (undefined when the stage failed or was cancelled). */
  readonly outs?: readonly LockedOut[];
  readonly cancelled?: boolean;
}
