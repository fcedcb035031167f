import { setTimeout as sleep } from 'node:timers/promises';
import { MlopsError } from '../../core/index.js';
import type { FeedbackRecord, InferenceLogStore, InferenceRecord } from './inference-log-store.js';
import { validateFeedback, validatePredictions } from './validate-records.js';

export interface InferenceLogWriterOptions {
  /** Records per store call; a full batch is flushed at once. Default 500. */
  readonly maxBatch?: number;
  /** Buffered records are flushed at least this often. Default 200 ms. */
  readonly flushIntervalMs?: number;
  /** Records waiting beyond this are dropped (and counted). Default 10 000. */
  readonly maxQueue?: number;
  /** Store attempts after the first before a batch is dropped. Default 3. */
  readonly retries?: number;
  /** Wait before the first retry; it doubles per retry. Default 100 ms. */
  readonly retryDelayMs?: number;
  /**
   * Told when records are dropped: why (the store's last error, a full queue, an invalid record,
   * a closed writer) and how many. Default: one line on stderr.
   */
  readonly onError?: (error: unknown, dropped: number) => void;
}

type Kind = 'prediction' | 'feedback';

/**
 * Batches records off the request path: log* are synchronous and never throw; flush() drains.
 *
 * Records go to the store in the order they were logged, at most `maxBatch` per call, one call
 * at a time. A failing call is retried with backoff; after `retries` the batch is dropped, counted
 * in `dropped` and reported, and the writer carries on (a store that recovers gets later
 * batches). The queue is bounded by `maxQueue`: beyond it new records are dropped and counted,
 * so a store that is down cannot exhaust the server's memory. The timer is unref'd: a writer
 * never keeps the process alive.
 */
export class InferenceLogWriter {
  readonly #store: InferenceLogStore;
  readonly #maxBatch: number;
  readonly #flushIntervalMs: number;
  readonly #maxQueue: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #onError: (error: unknown, dropped: number) => void;
  #predictions: InferenceRecord[] = [];
  #feedback: FeedbackRecord[] = [];
  #inFlight = 0;
  #dropped = 0;
  #overflowed = 0;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(store: InferenceLogStore, options: InferenceLogWriterOptions = {}) {
    this.#store = store;
    this.#maxBatch = positive('maxBatch', options.maxBatch, 500);
    this.#flushIntervalMs = positive('flushIntervalMs', options.flushIntervalMs, 200);
    this.#maxQueue = positive('maxQueue', options.maxQueue, 10_000);
    this.#retries = atLeastZero('retries', options.retries, 3);
    this.#retryDelayMs = atLeastZero('retryDelayMs', options.retryDelayMs, 100);
    this.#onError = options.onError ?? warnDropped;
  }

  logPrediction(record: InferenceRecord): void {
    this.#enqueue('prediction', record);
  }

  logFeedback(record: FeedbackRecord): void {
    this.#enqueue('feedback', record);
  }

  /** Records logged and not yet stored (or dropped). */
  get pending(): number {
    return this.#predictions.length + this.#feedback.length + this.#inFlight;
  }

  /** Records lost: the store kept failing, the queue was full, the record was invalid, or the writer was closed. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Resolves once every record logged before the call is stored or dropped; never rejects. */
  flush(): Promise<void> {
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Flushes, then stops the timer (does not close the store); later records are dropped. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #enqueue(kind: Kind, record: InferenceRecord | FeedbackRecord): void {
    try {
      if (this.#closed) {
        this.#drop(
          new MlopsError(
            'INVALID_STATE',
            `The inference log writer is closed; a ${kind} record was dropped.`,
          ),
          1,
        );
        return;
      }
      // Checked here, not in the store, so one bad record cannot sink the batch it would join.
      if (kind === 'prediction') validatePredictions([record as InferenceRecord]);
      else validateFeedback([record as FeedbackRecord]);
      if (this.#predictions.length + this.#feedback.length >= this.#maxQueue) {
        this.#dropped += 1;
        this.#overflowed += 1; // reported once per drain, not once per record
        this.#schedule();
        return;
      }
      if (kind === 'prediction') this.#predictions.push(record as InferenceRecord);
      else this.#feedback.push(record as FeedbackRecord);
      if (this.#predictions.length >= this.#maxBatch || this.#feedback.length >= this.#maxBatch) {
        void this.flush();
      } else this.#schedule();
    } catch (err) {
      this.#drop(err, 1);
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#flushIntervalMs);
    this.#timer.unref();
  }

  async #drain(): Promise<void> {
    // Loops until empty, so a flush() that joins a running drain also waits for its own records.
    while (this.#predictions.length > 0 || this.#feedback.length > 0 || this.#overflowed > 0) {
      this.#reportOverflow();
      if (this.#predictions.length > 0) {
        const batch = this.#predictions.splice(0, this.#maxBatch);
        await this.#write(
          uniqueBy(batch, (r) => r.predictionId),
          (b) => this.#store.appendPredictions(b),
        );
      }
      if (this.#feedback.length > 0) {
        const batch = this.#feedback.splice(0, this.#maxBatch);
        await this.#write(
          uniqueBy(batch, (r) => r.feedbackId),
          (b) => this.#store.appendFeedback(b),
        );
      }
    }
  }

  async #write<T>(batch: T[], append: (batch: T[]) => Promise<void>): Promise<void> {
    this.#inFlight = batch.length;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await append(batch);
          return;
        } catch (err) {
          // Bad input stays bad however often it is sent.
          const permanent = MlopsError.is(err) && err.code === 'INVALID_PARAMETER_VALUE';
          if (permanent || attempt >= this.#retries) {
            this.#drop(err, batch.length);
            return;
          }
          await sleep(this.#retryDelayMs * 2 ** attempt, undefined, {
            // Idle retries must not keep a process alive, but close() must finish its drain.
            ref: this.#closed,
          });
        }
      }
    } finally {
      this.#inFlight = 0;
    }
  }

  #reportOverflow(): void {
    if (this.#overflowed === 0) return;
    const n = this.#overflowed;
    this.#overflowed = 0;
    this.#report(
      new MlopsError(
        'TEMPORARILY_UNAVAILABLE',
        `The inference log queue was full (${this.#maxQueue} records waiting for the store); ${n} records were dropped.`,
      ),
      n,
    );
  }

  #drop(error: unknown, count: number): void {
    this.#dropped += count;
    this.#report(error, count);
  }

  #report(error: unknown, count: number): void {
    try {
      this.#onError(error, count);
    } catch {
      // A failing error hook must not break logging on the request path.
    }
  }
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  // The store keeps the first write of an id; so does a batch.
  const byKey = new Map<string, T>();
  for (const item of items) if (!byKey.has(key(item))) byKey.set(key(item), item);
  return byKey.size === items.length ? items : [...byKey.values()];
}

function warnDropped(error: unknown, dropped: number): void {
  const why = error instanceof Error ? error.message : String(error);
  process.stderr.write(`mlops: dropped ${dropped} inference log record(s): ${why}\n`);
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new MlopsError(
      'INVALID_PARAMETER_VALUE',
      `InferenceLogWriter option ${name} must be an integer >= 1, got ${value}.`,
    );
  }
  return value;
}

function atLeastZero(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MlopsError(
      'INVALID_PARAMETER_VALUE',
      `InferenceLogWriter option ${name} must be an integer >= 0, got ${value}.`,
    );
  }
  return value;
}
