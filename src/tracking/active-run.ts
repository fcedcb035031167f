import { MlopsError, nowMs } from '../core/index.js';
import type { Metric, RunInfo, RunStatus } from './entities.js';
import { Limits } from './limits.js';
import { validateMetric } from './validation.js';
import type { TrackingStore } from './tracking-store.js';

/** What a run needs from its client: the store, and artifact logging (bytes + records). */
export interface RunHost {
  readonly store: TrackingStore;
  logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<unknown>;
  logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<unknown>;
  /** Called once when the run ends, so the host can forget it. */
  released(run: ActiveRun): void;
}

/**
 * A run being logged to. Metrics are buffered and written in batches of up to 1000 points, or
 * of what one second gathered (one log-batch each); `flush()` and `end()` wait for every point. Params and tags are written at
 * once, so a conflicting param fails the call that logged it.
 *
 * Buffered points are flushed by `end()`, on SIGINT/SIGTERM and on `beforeExit`. An abrupt
 * `process.exit()` skips all of these: points logged since the last flush are lost.
 *
 * @example
 * const run = await client.startRun({ experiment: 'goog', name: 'lstm-1' });
 * await run.logParams({ units: 50, window: 60 });
 * for (const [epoch, loss] of losses.entries()) run.logMetric('loss', loss, epoch);
 * await run.end();
 */
/** Longest a logged point waits in the buffer before it is written. */
const FLUSH_INTERVAL_MS = 1000;

export class ActiveRun {
  readonly id: string;
  private buffer: Metric[] = [];
  private pending: Promise<void> = Promise.resolve();
  private failure: unknown;
  private ended = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: RunHost,
    readonly info: RunInfo,
  ) {
    this.id = info.runId;
  }

  /** Logs one param; numbers and booleans are stored as their string form, like MLflow. */
  async logParam(key: string, value: string | number | boolean): Promise<void> {
    await this.logParams({ [key]: value });
  }

  async logParams(params: Record<string, string | number | boolean>): Promise<void> {
    this.assertOpen();
    const entries = Object.entries(params).map(([key, value]) => ({ key, value: String(value) }));
    for (let i = 0; i < entries.length; i += Limits.batchParams) {
      await this.host.store.logBatch(this.id, { params: entries.slice(i, i + Limits.batchParams) });
    }
  }

  /** Buffers one point; it reaches the store within 1000 points or at `flush()`/`end()`. */
  logMetric(key: string, value: number, step = 0, timestamp = nowMs()): void {
    this.assertOpen();
    const metric = { key, value, step, timestamp };
    // Checked here, so a bad point fails its own call instead of a later batch of good ones.
    validateMetric(metric);
    this.buffer.push(metric);
    if (this.buffer.length >= Limits.batchMetrics) this.startFlush();
    // A slow trickle of points still shows up within a second (a dashboard on a server sees
    // training progress), in one batch per second at most; the timer never keeps Node alive.
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.startFlush(), FLUSH_INTERVAL_MS);
      this.timer.unref();
    }
  }

  logMetrics(metrics: Record<string, number>, step = 0): void {
    const timestamp = nowMs();
    for (const [key, value] of Object.entries(metrics)) this.logMetric(key, value, step, timestamp);
  }

  async setTag(key: string, value: string): Promise<void> {
    await this.setTags({ [key]: value });
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    this.assertOpen();
    const entries = Object.entries(tags).map(([key, value]) => ({ key, value }));
    for (let i = 0; i < entries.length; i += Limits.batchTags) {
      await this.host.store.logBatch(this.id, { tags: entries.slice(i, i + Limits.batchTags) });
    }
  }

  /** Stores a file or directory under `artifactPath` of this run (see `logArtifact`). */
  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    this.assertOpen();
    await this.host.logArtifact(this.id, localPath, artifactPath);
  }

  /** Stores the contents of directory `localDir` directly under `artifactPath` of this run. */
  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    this.assertOpen();
    await this.host.logArtifacts(this.id, localDir, artifactPath);
  }

  /** Waits until every buffered point is stored; rethrows a failed background write. */
  async flush(): Promise<void> {
    this.startFlush();
    await this.pending;
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
  }

  /**
   * Flushes, then sets the final status (FINISHED by default) and end time. Idempotent. When
   * buffered points could not be written, the run ends FAILED and the write error is rethrown.
   */
  async end(status: RunStatus = 'FINISHED'): Promise<void> {
    if (this.ended) return;
    let failure: unknown;
    try {
      await this.flush();
    } catch (err) {
      failure = err;
    }
    this.ended = true;
    this.host.released(this);
    await this.host.store.updateRun(this.id, {
      status: failure === undefined ? status : 'FAILED',
      endTime: nowMs(),
    });
    if (failure !== undefined) throw failure;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private startFlush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    // Writes are chained so points reach the store in the order they were logged.
    this.pending = this.pending.then(async () => {
      try {
        for (let i = 0; i < batch.length; i += Limits.batchMetrics) {
          await this.host.store.logBatch(this.id, {
            metrics: batch.slice(i, i + Limits.batchMetrics),
          });
        }
      } catch (err) {
        this.failure ??= err; // later batches are still written; the first error is reported
      }
    });
  }

  private assertOpen(): void {
    if (this.ended) {
      throw new MlopsError(
        'INVALID_STATE',
        `Run ${this.id} has ended; start a new run to log more.`,
      );
    }
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
  }
}
