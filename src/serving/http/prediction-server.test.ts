import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../storage/index.js';
import { InferenceLogWriter, SqlInferenceLogStore } from '../inference-log/index.js';
import type { LoadedModel } from '../loaded-model.js';
import { ModelSlot } from '../model-slot.js';
import { createPredictionServer, type PredictionServer } from './prediction-server.js';

/** Predicts the last close + 1. */
const plusOne: LoadedModel = {
  name: 'm',
  version: '7',
  packageHash: 'h',
  window: 3,
  inputName: 'closes',
  outputName: 'next_close',
  fallback: async (windows) => Float64Array.from(windows, (w) => (w[w.length - 1] ?? 0) + 1),
};

describe('createPredictionServer', () => {
  let server: PredictionServer | undefined;
  let database: Database;
  let store: SqlInferenceLogStore;
  beforeEach(async () => {
    database = await openDatabase('sqlite::memory:');
    store = new SqlInferenceLogStore(database);
  });
  afterEach(async () => {
    await server?.app.close();
    await database.close();
  });

  async function serve(log?: InferenceLogWriter, model: LoadedModel = plusOne) {
    const slot = new ModelSlot();
    await slot.swap(model);
    server = await createPredictionServer({
      slot,
      ...(log ? { inferenceLog: log } : {}),
      log: () => {},
    });
    return server.app;
  }

  it('feeds each horizon step back as the newest close, and logs each step', async () => {
    const writer = new InferenceLogWriter(store);
    const app = await serve(writer);
    const res = await app.inject({
      method: 'POST',
      url: '/predict',
      payload: {
        series: [
          { date: '2024-03-06', close: 10 },
          { date: '2024-03-07', close: 11 },
          { date: '2024-03-08', close: 12 },
        ],
        horizon: 3,
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-mlops-model-version']).toBe('7');
    const body = res.json();
    expect(body.predictions.map((p: { value: number }) => p.value)).toEqual([13, 14, 15]);
    expect(body.predictions.map((p: { target_date: string }) => p.target_date)).toEqual([
      '2024-03-11',
      '2024-03-12',
      '2024-03-13',
    ]);
    await writer.flush();
    const logged = await store.queryPredictions();
    expect(logged.map((r) => [r.horizonStep, r.inputs, r.prediction])).toEqual([
      [1, [10, 11, 12], 13],
      [2, [11, 12, 13], 14],
      [3, [12, 13, 14], 15],
    ]);
    expect(logged.every((r) => r.inputDate === '2024-03-08' && r.route === 'predict')).toBe(true);
    await writer.close();
  });

  it('answers /feedback with 503 without an inference log', async () => {
    const app = await serve();
    const res = await app.inject({
      method: 'POST',
      url: '/feedback',
      payload: { prediction_id: 'p', actual: 1 },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toMatch(/no inference log/);
  });

  it('names the served model on feedback (so a tracking server can check EDIT on it), and passes ids through', async () => {
    const writer = new InferenceLogWriter(store);
    const app = await serve(writer);
    const res = await app.inject({
      method: 'POST',
      url: '/feedback',
      payload: [
        { target_date: '2024-03-11', actual: 13.5 },
        { prediction_id: 'p1', actual: 14 },
      ],
    });
    expect(res.statusCode).toBe(202);
    await writer.flush();
    const feedback = [...(await store.queryFeedback())].sort((a, b) => a.actual - b.actual);
    expect(feedback.map((f) => [f.targetDate, f.predictionId, f.modelName, f.actual])).toEqual([
      ['2024-03-11', undefined, 'm', 13.5],
      [undefined, 'p1', 'm', 14],
    ]);
    expect(feedback.map((f) => f.feedbackId)).toEqual(res.json().feedback_ids);
    await writer.close();
  });

  it('fails a request whose model answers NaN, and logs nothing', async () => {
    const writer = new InferenceLogWriter(store);
    const app = await serve(writer, {
      ...plusOne,
      fallback: async (windows) => Float64Array.from(windows, (w) => (w[0] === 1 ? NaN : 1)),
    });
    const res = await app.inject({
      method: 'POST',
      url: '/invocations',
      payload: { inputs: [[1, 2, 3]] },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ error_code: 'INVALID_STATE' });
    expect(res.json().message).toMatch(/predicted NaN for window 0/);
    await writer.flush();
    expect(await store.queryPredictions()).toEqual([]);
    await writer.close();
  });
});
