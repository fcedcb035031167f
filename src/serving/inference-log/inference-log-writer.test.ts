import { describe, expect, it, vi } from 'vitest';
import { MlopsError } from '../../core/index.js';
import type {
  FeedbackRecord,
  InferenceLogStore,
  InferenceRecord,
  JoinedInference,
} from './inference-log-store.js';
import { InferenceLogWriter } from './inference-log-writer.js';

/** An in-memory store that records each call, and fails the next `failures` calls when told. */
class RecordingStore implements InferenceLogStore {
  readonly predictionBatches: string[][] = [];
  readonly feedbackBatches: string[][] = [];
  failures = 0;
  calls = 0;
  active = 0;
  maxActive = 0;
  gate: Promise<void> | undefined;

  async appendPredictions(records: readonly InferenceRecord[]): Promise<void> {
    await this.call(() => this.predictionBatches.push(records.map((r) => r.predictionId)));
  }
  async appendFeedback(records: readonly FeedbackRecord[]): Promise<void> {
    await this.call(() => this.feedbackBatches.push(records.map((r) => r.feedbackId)));
  }
  async queryPredictions(): Promise<readonly JoinedInference[]> {
    return [];
  }
  async queryFeedback(): Promise<readonly FeedbackRecord[]> {
    return [];
  }
  async close(): Promise<void> {}

  get stored(): string[] {
    return this.predictionBatches.flat();
  }

  private async call(write: () => void): Promise<void> {
    this.calls++;
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await this.gate;
      await Promise.resolve();
      if (this.failures > 0) {
        this.failures--;
        throw new MlopsError('DATABASE_UNREACHABLE', 'store down');
      }
      write();
    } finally {
      this.active--;
    }
  }
}

const prediction = (i: number): InferenceRecord => ({
  predictionId: `p${i}`,
  timestamp: 1_700_000_000_000 + i,
  modelName: 'goog',
  modelVersion: '1',
  horizonStep: 1,
  inputs: [1, 2, 3],
  prediction: 100 + i,
  latencyMs: 0.5,
  route: 'predict',
});
const feedback = (i: number): FeedbackRecord => ({
  feedbackId: `f${i}`,
  timestamp: 1_700_000_000_000 + i,
  predictionId: `p${i}`,
  actual: 101,
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('InferenceLogWriter', () => {
  it('sends records in order, in batches of at most maxBatch', async () => {
    const store = new RecordingStore();
    const writer = new InferenceLogWriter(store, { maxBatch: 3, flushIntervalMs: 60_000 });
    for (const i of range(7)) writer.logPrediction(prediction(i));
    writer.logFeedback(feedback(0));
    await writer.flush();
    expect(store.predictionBatches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(store.stored).toEqual(range(7).map((i) => `p${i}`));
    expect(store.feedbackBatches).toEqual([['f0']]);
    expect(writer.pending).toBe(0);
    expect(writer.dropped).toBe(0);
    await writer.close();
  });

  it('flushes a full batch without being asked, and a partial one on its timer', async () => {
    const store = new RecordingStore();
    const full = new InferenceLogWriter(store, { maxBatch: 2, flushIntervalMs: 60_000 });
    full.logPrediction(prediction(0));
    full.logPrediction(prediction(1));
    await vi.waitFor(() => expect(store.stored).toEqual(['p0', 'p1']));
    await full.close();

    const timed = new InferenceLogWriter(store, { maxBatch: 100, flushIntervalMs: 5 });
    timed.logPrediction(prediction(2));
    await vi.waitFor(() => expect(store.stored).toContain('p2'));
    await timed.close();
  });

  it('makes one store call at a time', async () => {
    const store = new RecordingStore();
    const writer = new InferenceLogWriter(store, { maxBatch: 2, flushIntervalMs: 1 });
    for (const i of range(20)) {
      writer.logPrediction(prediction(i));
      if (i % 3 === 0) void writer.flush();
    }
    await writer.flush();
    expect(store.stored).toEqual(range(20).map((i) => `p${i}`));
    expect(store.maxActive).toBe(1);
    await writer.close();
  });

  it('retries a failing store and loses nothing when it recovers', async () => {
    const store = new RecordingStore();
    const onError = vi.fn();
    const writer = new InferenceLogWriter(store, { retries: 3, retryDelayMs: 0, onError });
    store.failures = 2;
    for (const i of range(4)) writer.logPrediction(prediction(i));
    await writer.flush();
    expect(store.stored).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(writer.dropped).toBe(0);
    expect(onError).not.toHaveBeenCalled();
    await writer.close();
  });

  it('drops and counts a batch after its retries, then carries on', async () => {
    const store = new RecordingStore();
    const onError = vi.fn();
    const writer = new InferenceLogWriter(store, { retries: 1, retryDelayMs: 0, onError });
    store.failures = 2;
    for (const i of range(3)) writer.logPrediction(prediction(i));
    await writer.flush();
    expect(writer.dropped).toBe(3);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[1]).toBe(3);
    expect((onError.mock.calls[0]?.[0] as Error).message).toBe('store down');
    writer.logPrediction(prediction(3));
    await writer.flush();
    expect(store.stored).toEqual(['p3']);
    expect(writer.dropped).toBe(3);
    await writer.close();
  });

  it('bounds its queue: overflow is dropped, counted and reported once', async () => {
    const store = new RecordingStore();
    const onError = vi.fn();
    const writer = new InferenceLogWriter(store, {
      maxQueue: 5,
      maxBatch: 100,
      flushIntervalMs: 60_000,
      onError,
    });
    for (const i of range(8)) writer.logPrediction(prediction(i));
    expect(writer.pending).toBe(5);
    expect(writer.dropped).toBe(3);
    await writer.flush();
    expect(store.stored).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(onError).toHaveBeenCalledTimes(1);
    const [error, count] = onError.mock.calls[0] as [MlopsError, number];
    expect(error.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(count).toBe(3);
    await writer.close();
  });

  it('never throws on a bad record: it is dropped and reported', () => {
    const onError = vi.fn();
    const writer = new InferenceLogWriter(new RecordingStore(), { onError });
    expect(() => writer.logPrediction({ ...prediction(0), prediction: Number.NaN })).not.toThrow();
    expect(() => writer.logFeedback({ feedbackId: 'f', timestamp: 1, actual: 1 })).not.toThrow();
    expect(writer.dropped).toBe(2);
    expect(writer.pending).toBe(0);
    const messages = onError.mock.calls.map(([e]) => (e as MlopsError).message);
    expect(messages[0]).toMatch(/record 0: prediction must be a finite number, got NaN/);
    expect(messages[1]).toMatch(/neither predictionId nor targetDate/);
  });

  it('close() drains what is pending, then drops later records', async () => {
    const store = new RecordingStore();
    let release!: () => void;
    store.gate = new Promise((resolve) => (release = resolve));
    const onError = vi.fn();
    const writer = new InferenceLogWriter(store, { maxBatch: 2, flushIntervalMs: 60_000, onError });
    for (const i of range(5)) writer.logPrediction(prediction(i));
    const closing = writer.close();
    expect(writer.pending).toBe(5);
    release();
    await closing;
    expect(store.stored).toEqual(range(5).map((i) => `p${i}`));
    expect(writer.pending).toBe(0);
    writer.logPrediction(prediction(9));
    expect(writer.dropped).toBe(1);
    expect((onError.mock.calls[0]?.[0] as MlopsError).code).toBe('INVALID_STATE');
  });

  it('sends a prediction id logged twice once', async () => {
    const store = new RecordingStore();
    const writer = new InferenceLogWriter(store);
    writer.logPrediction(prediction(1));
    writer.logPrediction({ ...prediction(1), prediction: 5 });
    await writer.close();
    expect(store.stored).toEqual(['p1']);
  });

  it('refuses bad options with the option named', () => {
    expect(() => new InferenceLogWriter(new RecordingStore(), { maxBatch: 0 })).toThrow(/maxBatch/);
    expect(() => new InferenceLogWriter(new RecordingStore(), { retries: -1 })).toThrow(/retries/);
  });
});
