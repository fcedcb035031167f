import type { Job, Queue, QueueEvents, QueueEventsListener, QueueEventsProducer } from 'bullmq';
import { remoteLocation } from '../../data/index.js';
import { LineStream } from '../worker/line-stream.js';
import { checkRedis, redactRedisUrl } from '../worker/redis-check.js';
import {
  CANCEL_EVENT,
  CANCELLED_EXIT_CODE,
  resolveQueueTarget,
  STAGE_JOB_VERSION,
  type ProgressBatch,
  type QueueTarget,
  type SharedRemote,
  type StageJobData,
  type StageJobResult,
} from '../worker/stage-job.js';
import type { Executor, StageIo, StageOutcome, StageTask } from './executor.js';

export interface QueueExecutorOptions extends QueueTarget {
  /** The remote the workers share with the scheduler (its settings only; no credentials). */
  readonly remote: SharedRemote;
  /** Attempts per stage when the worker's side fails or the worker dies (default 3). */
  readonly attempts?: number;
  /** A stage's commands are stopped after this long on a worker (the stage fails; no retry). */
  readonly attemptTimeoutMs?: number;
  /** Say so through `io.onLine` when no worker has taken a stage after this long (10 s). */
  readonly waitNoticeMs?: number;
}

/** After a cancel, how long to wait for the worker to confirm that it stopped. */
const CANCEL_GRACE_MS = 10_000;
/** Finished jobs (results hold logs) stay in Redis this long, for whoever waits on them. */
const KEEP_FINISHED = { age: 3600, count: 1000 } as const;

/** QueueEvents also emits each job's events as `<event>:<jobId>`. */
interface JobProgressListener extends QueueEventsListener {
  [event: `progress:${string}`]: (args: { jobId: string; data: unknown }, id: string) => void;
}

interface Connected {
  readonly queue: Queue<StageJobData, StageJobResult>;
  readonly events: QueueEvents;
}

/**
 * Runs stages on `mlops worker` processes through a BullMQ queue in Redis. Each `execute` adds
 * one job (the task without its local root, plus the shared remote's settings) and waits for its
 * result; the stage's output lines stream back while it runs. A failing command is a result, not
 * a job failure; a worker that dies mid-stage loses its hold on the job, and another worker runs
 * it again from scratch (up to `attempts`). Outs come back stored in the shared remote.
 */
export class QueueExecutor implements Executor {
  readonly kind = 'queue';
  readonly remote = true;
  readonly queueName: string;
  readonly #options: QueueExecutorOptions;
  readonly #redisUrl: string;
  readonly #prefix: string;
  #connected: Promise<Connected> | undefined;
  #producer: Promise<QueueEventsProducer> | undefined;

  constructor(options: QueueExecutorOptions) {
    this.#options = Object.freeze({ ...options });
    const { redisUrl, queue, prefix } = resolveQueueTarget(options);
    this.#redisUrl = redisUrl;
    this.queueName = queue;
    this.#prefix = prefix;
  }

  async execute(task: StageTask, io: StageIo): Promise<StageOutcome> {
    const { queue, events } = await this.#connect();
    const started = performance.now();
    const job = await queue.add(task.stage.name, this.#jobData(task), {
      attempts: this.#options.attempts ?? 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: KEEP_FINISHED,
      removeOnFail: KEEP_FINISHED,
    });
    const jobId = job.id ?? '';
    const stream = new LineStream(io);
    const onProgress = ({ data }: { data: unknown }) => stream.batch(data as ProgressBatch);
    events.on<JobProgressListener>(`progress:${jobId}`, onProgress);
    const notice = this.#noticeWhenWaiting(job, io);
    try {
      const result = await raceAbort(job.waitUntilFinished(events), io.signal);
      if (result === ABORTED) return await this.#cancel(job, events, stream, started);
      stream.finish(result);
      return outcomeOf(result);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const attempts = (await queue.getJob(jobId).catch(() => undefined))?.attemptsMade;
      const line = `mlops: stage '${task.stage.name}' (job ${jobId} on queue '${this.queueName}') failed on the workers${attempts === undefined ? '' : ` after ${attempts} attempt${attempts === 1 ? '' : 's'}`}: ${reason}`;
      io.onLine(line, 'stderr');
      return { exitCode: 1, durationMs: performance.now() - started, log: `${line}\n` };
    } finally {
      clearTimeout(notice);
      events.off<JobProgressListener>(`progress:${jobId}`, onProgress);
    }
  }

  async close(): Promise<void> {
    const connected = this.#connected;
    this.#connected = undefined;
    if (connected) {
      const { queue, events } = await connected.catch(() => ({}) as Partial<Connected>);
      await events?.close();
      await queue?.close();
    }
    const producer = this.#producer;
    this.#producer = undefined;
    await producer?.then((p) => p.close()).catch(() => undefined);
  }

  #jobData(task: StageTask): StageJobData {
    const remote = this.#options.remote;
    // A directory remote travels as an absolute path: workers have no workspace to resolve in.
    const where = remoteLocation(remote.url, task.root);
    return {
      version: STAGE_JOB_VERSION,
      stage: task.stage,
      commands: task.commands,
      env: task.env,
      inputs: task.inputs,
      ...(task.runId === undefined ? {} : { runId: task.runId }),
      remote: {
        ...(remote.name === undefined ? {} : { name: remote.name }),
        url: where.kind === 's3' ? where.url : where.dir,
        ...(remote.endpoint === undefined ? {} : { endpoint: remote.endpoint }),
        ...(remote.region === undefined ? {} : { region: remote.region }),
      },
      ...(this.#options.attemptTimeoutMs === undefined
        ? {}
        : { attemptTimeoutMs: this.#options.attemptTimeoutMs }),
    };
  }

  #connect(): Promise<Connected> {
    this.#connected ??= (async () => {
      await checkRedis(this.#redisUrl);
      const { Queue, QueueEvents } = await import('bullmq');
      const connection = { url: this.#redisUrl };
      const prefix = this.#prefix;
      const queue = new Queue<StageJobData, StageJobResult>(this.queueName, {
        connection,
        prefix,
      });
      const events = new QueueEvents(this.queueName, { connection, prefix });
      // One pair of listeners per stage waiting: -j 50 is not a leak.
      events.setMaxListeners(0);
      // Connection trouble surfaces as the stage's failure; unhandled it would crash the process.
      queue.on('error', () => {});
      events.on('error', () => {});
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      return { queue, events };
    })();
    this.#connected.catch(() => (this.#connected = undefined));
    return this.#connected;
  }

  /** A line through `io` when no worker has taken the job after a while (none running?). */
  #noticeWhenWaiting(job: Job<StageJobData, StageJobResult>, io: StageIo): NodeJS.Timeout {
    const timer = setTimeout(async () => {
      const state = await job.getState().catch(() => 'unknown');
      if (state !== 'waiting' && state !== 'prioritized') return;
      io.onLine(
        `mlops: stage '${job.name}' waits for a worker on queue '${this.queueName}' (${redactRedisUrl(this.#redisUrl)}); start one with \`mlops worker --queue ${this.queueName}\``,
        'stderr',
      );
    }, this.#options.waitNoticeMs ?? 10_000);
    timer.unref();
    return timer;
  }

  /**
   * Stops a job the scheduler gave up on: a job no worker took yet is removed; a running one is
   * marked (so a worker taking it later skips it) and its worker is asked to stop its commands.
   */
  async #cancel(
    job: Job<StageJobData, StageJobResult>,
    events: QueueEvents,
    stream: LineStream,
    started: number,
  ): Promise<StageOutcome> {
    const cancelled = (log: string): StageOutcome => ({
      exitCode: CANCELLED_EXIT_CODE,
      signal: 'SIGTERM',
      durationMs: performance.now() - started,
      log,
    });
    const removed = await job.remove().then(
      () => true,
      () => false,
    );
    if (removed) return cancelled('mlops: cancelled before a worker took the stage\n');
    await job.updateData({ ...job.data, cancelled: true }).catch(() => undefined);
    this.#producer ??= this.#newProducer();
    // The events stream is capped at 10 000 entries; BullMQ's default here would trim it to 1 000.
    await this.#producer
      .then((p) => p.publishEvent({ eventName: CANCEL_EVENT, jobId: job.id ?? '' }, 10_000))
      .catch(() => undefined);
    const result = await job.waitUntilFinished(events, CANCEL_GRACE_MS).catch(() => undefined);
    if (result === undefined) {
      return cancelled('mlops: cancelled; the worker did not confirm that it stopped\n');
    }
    stream.finish(result);
    return { ...outcomeOf(result), exitCode: CANCELLED_EXIT_CODE, signal: 'SIGTERM' };
  }

  async #newProducer(): Promise<QueueEventsProducer> {
    const { QueueEventsProducer } = await import('bullmq');
    const producer = new QueueEventsProducer(this.queueName, {
      connection: { url: this.#redisUrl },
      prefix: this.#prefix,
    });
    producer.on('error', () => {});
    return producer;
  }
}

function outcomeOf(result: StageJobResult): StageOutcome {
  return {
    exitCode: result.exitCode,
    ...(result.signal === undefined ? {} : { signal: result.signal }),
    durationMs: result.durationMs,
    log: result.log,
    ...(result.outs === undefined ? {} : { outs: result.outs }),
    worker: result.worker,
  };
}

const ABORTED = Symbol('aborted');

/** `promise`, or ABORTED as soon as `signal` aborts. */
function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T | typeof ABORTED> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
