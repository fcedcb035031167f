import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, QueueEventsListener } from 'bullmq';
import { cliScriptPath, MlopsError } from '../../core/index.js';
import { openRemote, type RemoteStore } from '../../data/index.js';
import { ProgressSender } from './progress-sender.js';
import { checkRedis, redactRedisUrl } from './redis-check.js';
import { PGIDS_FILE, runStageJob, STAGE_DIR_PREFIX } from './run-stage-job.js';
import {
  CANCEL_EVENT,
  CANCELLED_EXIT_CODE,
  resolveQueueTarget,
  STAGE_JOB_VERSION,
  type QueueTarget,
  type SharedRemote,
  type StageJobData,
  type StageJobResult,
} from './stage-job.js';

/** How long a worker's hold on a job lasts unless renewed (renewed every half of it). */
export const DEFAULT_LOCK_DURATION_MS = 15_000;
/** Times a job may be taken back from a worker that stopped renewing its hold (died). */
export const DEFAULT_MAX_STALLED_COUNT = 2;

/** Worker-side environment that overrides the coordinator's, when set here. */
const PASSTHROUGH_ENV = ['MLOPS_TRACKING_URI', 'MLOPS_ARTIFACT_URI'] as const;

export interface RunWorkerOptions extends QueueTarget {
  /** Stages run at once by this worker (default 1). */
  readonly concurrency?: number;
  /** Where the private job directories go (default the OS temp directory). */
  readonly workDir?: string;
  /** Shown in logs and stage reports (default `<hostname>:<pid>`). */
  readonly name?: string;
  /**
   * Set over each job's environment. By default the job's commands get this install's mlops
   * (`MLOPS_NODE`, `MLOPS_CLI`) and this machine's `MLOPS_TRACKING_URI`/`MLOPS_ARTIFACT_URI`
   * when set, over the coordinator's.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** See `DEFAULT_LOCK_DURATION_MS`; a dead worker's job is retried this long after it died. */
  readonly lockDurationMs?: number;
  /** How often this worker looks for jobs of dead workers (default: `lockDurationMs`). */
  readonly stalledIntervalMs?: number;
  /** See `DEFAULT_MAX_STALLED_COUNT`. */
  readonly maxStalledCount?: number;
  readonly onEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | {
      readonly type: 'taken';
      readonly jobId: string;
      readonly stage: string;
      /** 1 for the first attempt; more after a failure or a dead worker. */
      readonly attempt: number;
    }
  | {
      readonly type: 'finished';
      readonly jobId: string;
      readonly stage: string;
      readonly exitCode: number;
      readonly durationMs: number;
      readonly outs: number;
      readonly cancelled: boolean;
    }
  /** Put back in the queue for another worker (shutdown). */
  | { readonly type: 'released'; readonly jobId: string; readonly stage: string }
  /** The worker's side failed (store, inputs); the queue retries the job. */
  | {
      readonly type: 'failed';
      readonly jobId: string;
      readonly stage: string;
      readonly message: string;
    }
  | { readonly type: 'error'; readonly message: string };

/** A running `mlops worker`. */
export interface StageWorker {
  /** `<hostname>:<pid>` unless named. */
  readonly id: string;
  readonly queue: string;
  /** Without its password. */
  readonly redisUrl: string;
  /** Stages running now. */
  readonly running: number;
  /** Resolves once the worker has stopped. */
  readonly closed: Promise<void>;
  /**
   * Stops taking jobs and waits for the running ones to finish; with `release`, stops their
   * commands instead and puts them back in the queue for another worker (may be called again
   * with `release` while a plain close waits).
   */
  close(options?: { readonly release?: boolean }): Promise<void>;
}

const RELEASE = 'release';
const CANCEL = 'cancel';
const LOST = 'lost';

/** The custom queue event a coordinator publishes to stop a running job. */
interface CancelListener extends QueueEventsListener {
  [CANCEL_EVENT]: (args: { jobId: string }, id: string) => void;
}

/**
 * Takes stage jobs from the queue until closed: for each, the job's inputs are fetched from the
 * shared remote into a private directory, the commands run there, the outs are stored back, and
 * the result (exit code, log, outs) goes back to the coordinator. Resolves once connected.
 */
export async function runWorker(options: RunWorkerOptions = {}): Promise<StageWorker> {
  const { redisUrl, queue, prefix } = resolveQueueTarget(options);
  await checkRedis(redisUrl);
  const id = options.name ?? `${hostname()}:${process.pid}`;
  const workDir = options.workDir ?? tmpdir();
  const lockDuration = options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS;
  const emit = options.onEvent ?? (() => {});
  // Built-in steps log artifacts through MLOPS_ARTIFACT_URI; without one they would land in the
  // job's private directory and vanish with it, so default to a store kept beside the work dir.
  const artifacts = process.env['MLOPS_ARTIFACT_URI']
    ? {}
    : { MLOPS_ARTIFACT_URI: join(workDir, 'mlops-worker-artifacts') };
  const env = jobEnv({ ...artifacts, ...options.env });
  await removeStaleDirs(workDir);

  const { Worker, QueueEvents, UnrecoverableError, WaitingError } = await import('bullmq');
  /** Job id -> the controller that stops its commands. */
  const running = new Map<string, AbortController>();
  const remotes = new Map<string, Promise<RemoteStore>>();
  const remoteFor = (remote: SharedRemote): Promise<RemoteStore> => {
    const key = JSON.stringify([remote.url, remote.endpoint, remote.region]);
    let opened = remotes.get(key);
    if (!opened) {
      opened = openShared(remote, workDir);
      opened.catch(() => remotes.delete(key));
      remotes.set(key, opened);
    }
    return opened;
  };

  const processor = async (
    job: Job<StageJobData, StageJobResult>,
    token?: string,
  ): Promise<StageJobResult> => {
    const jobId = job.id ?? '?';
    const data = job.data;
    const stage = data.stage?.name ?? '?';
    if (data.version !== STAGE_JOB_VERSION) {
      throw new UnrecoverableError(
        `stage job format ${String(data.version)}, but worker ${id} reads format ${STAGE_JOB_VERSION}: run the same mlops version on the coordinator and the workers`,
      );
    }
    const attempt = `${jobId}.${job.attemptsStarted}.${randomBytes(3).toString('hex')}`;
    if (data.cancelled) {
      return {
        attempt,
        worker: id,
        exitCode: CANCELLED_EXIT_CODE,
        durationMs: 0,
        log: '',
        streams: '',
        dropped: 0,
        cancelled: true,
      };
    }
    const control = new AbortController();
    running.set(jobId, control);
    emit({ type: 'taken', jobId, stage, attempt: job.attemptsStarted });
    const progress = new ProgressSender((batch) => job.updateProgress(batch), attempt, id);
    const release = async (): Promise<never> => {
      if (token !== undefined) await job.moveToWait(token);
      emit({ type: 'released', jobId, stage });
      throw new WaitingError();
    };
    try {
      const remote = await remoteFor(data.remote);
      const result = await runStageJob(data, {
        blobs: remote.blobs,
        workDir,
        worker: id,
        attempt,
        env,
        onLine: progress.push,
        signal: control.signal,
      });
      await progress.flush();
      if (control.signal.reason === RELEASE) return await release();
      if (control.signal.reason === LOST) throw new Error(`worker ${id} lost its hold on the job`);
      emit({
        type: 'finished',
        jobId,
        stage,
        exitCode: result.exitCode,
        durationMs: result.durationMs,
        outs: result.outs?.length ?? 0,
        cancelled: result.cancelled === true,
      });
      return result;
    } catch (err) {
      await progress.flush();
      if (err instanceof WaitingError) throw err;
      if (control.signal.reason === RELEASE) return await release();
      const message = err instanceof Error ? err.message : String(err);
      emit({ type: 'failed', jobId, stage, message });
      if (MlopsError.is(err) && err.code === 'INVALID_PARAMETER_VALUE') {
        throw new UnrecoverableError(message);
      }
      throw err instanceof Error ? err : new Error(message);
    } finally {
      running.delete(jobId);
    }
  };

  const connection = { url: redisUrl };
  const worker = new Worker<StageJobData, StageJobResult>(queue, processor, {
    connection,
    prefix,
    name: id,
    concurrency: options.concurrency ?? 1,
    lockDuration,
    stalledInterval: options.stalledIntervalMs ?? lockDuration,
    maxStalledCount: options.maxStalledCount ?? DEFAULT_MAX_STALLED_COUNT,
    autorun: false,
  });
  worker.on('error', (err) => emit({ type: 'error', message: err.message }));
  // Another worker took the job back (this one looked dead): stop working on it.
  worker.on('lockRenewalFailed', (jobIds) => {
    for (const jobId of jobIds) running.get(jobId)?.abort(LOST);
  });
  const events = new QueueEvents(queue, { connection, prefix });
  events.on('error', (err) => emit({ type: 'error', message: err.message }));
  events.on<CancelListener, typeof CANCEL_EVENT>(CANCEL_EVENT, ({ jobId }) => {
    running.get(jobId)?.abort(CANCEL);
  });
  await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);
  const loop = worker.run();

  let closing: Promise<void> | undefined;
  const close = async () => {
    await worker.close();
    await loop.catch(() => undefined);
    await events.close();
    for (const opened of remotes.values()) {
      await opened.then((r) => r.close()).catch(() => undefined);
    }
  };
  let resolveClosed = () => {};
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  return {
    id,
    queue,
    redisUrl: redactRedisUrl(redisUrl),
    get running() {
      return running.size;
    },
    closed,
    close(closeOptions = {}) {
      if (closeOptions.release) {
        for (const control of running.values()) control.abort(RELEASE);
      }
      closing ??= close().finally(resolveClosed);
      return closing;
    },
  };
}

/** The environment set over every job's: this install's mlops, this machine's stores. */
function jobEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  // This install's CLI (`uses` stages run `"$MLOPS_NODE" "$MLOPS_CLI" step run ...`).
  const cli = cliScriptPath();
  if (existsSync(cli)) {
    env['MLOPS_NODE'] = process.execPath;
    env['MLOPS_CLI'] = cli;
  }
  for (const key of PASSTHROUGH_ENV) {
    const value = process.env[key];
    if (value !== undefined && value !== '') env[key] = value;
  }
  return { ...env, ...extra };
}

async function openShared(remote: SharedRemote, workDir: string): Promise<RemoteStore> {
  return openRemote(
    {
      name: remote.name ?? 'shared',
      url: remote.url,
      ...(remote.endpoint === undefined ? {} : { endpoint: remote.endpoint }),
      ...(remote.region === undefined ? {} : { region: remote.region }),
      isDefault: false,
      definedIn: 'project',
    },
    // No cache of its own: every job starts from the remote. `read`: a directory remote missing
    // on this machine is reported (a wrong path), not created empty.
    { root: workDir, cacheLocation: join(workDir, '.mlops-worker-no-cache'), mode: 'read' },
  );
}

/** Job directories left by workers of this machine that died (their pid is gone). */
async function removeStaleDirs(workDir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(workDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(STAGE_DIR_PREFIX)) continue;
    const pid = Number(name.slice(STAGE_DIR_PREFIX.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    // The dead worker's commands may still run as orphans: stop them before removing their dir.
    const pgids = await readFile(join(workDir, name, PGIDS_FILE), 'utf8').catch(() => '');
    for (const pgid of pgids.split('\n').map(Number)) {
      if (Number.isInteger(pgid) && pgid > 1) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await rm(join(workDir, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
