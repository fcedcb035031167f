import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackRecord, InferenceLogStore, InferenceRecord } from '../serving/index.js';
import { expectCode } from './expect-code.js';

export interface InferenceLogStoreFixture {
  readonly store: InferenceLogStore;
  cleanup(): Promise<void>;
}

const T0 = 1_700_000_000_000;

/** The error names the record and the field (camelCase locally, snake_case over HTTP). */
async function expectInvalid(promise: Promise<unknown>, index: number, field: string) {
  const err = await expectCode(promise, 'INVALID_PARAMETER_VALUE');
  const fieldPattern = field.replace(/[A-Z]/g, (c) => `_?${c}`);
  expect(err.message).toMatch(new RegExp(fieldPattern, 'i'));
  expect(err.message).toMatch(new RegExp(`\\b${index}\\b`));
}

/**
 * The InferenceLogStore contract, written only against the interface: SqlInferenceLogStore on
 * SQLite and PostgreSQL, HttpInferenceLogStore through a server (see test/conformance/). Each
 * test works on models of its own, so tests share one store.
 */
export function inferenceLogStoreSuite(
  name: string,
  factory: () => Promise<InferenceLogStoreFixture>,
): void {
  describe(`InferenceLogStore conformance: ${name}`, () => {
    let fixture: InferenceLogStoreFixture;
    let store: InferenceLogStore;
    let seq = 0;
    const unique = (base: string) => `${base}-${Date.now()}-${seq++}`;
    const prediction = (
      model: string,
      i: number,
      extra: Partial<InferenceRecord> = {},
    ): InferenceRecord => ({
      predictionId: `${model}-p${i}`,
      timestamp: T0 + i * 1000,
      modelName: model,
      modelVersion: '1',
      horizonStep: 1,
      inputs: [100 + i, 101.5 + i, 99.25 + i],
      prediction: 102 + i,
      latencyMs: 0.75,
      route: 'predict',
      ...extra,
    });
    const feedback = (id: string, extra: Partial<FeedbackRecord>): FeedbackRecord => ({
      feedbackId: id,
      timestamp: T0,
      actual: 0,
      ...extra,
    });
    const actuals = async (model: string) =>
      Object.fromEntries(
        (await store.queryPredictions({ modelName: model })).map((r) => [r.predictionId, r.actual]),
      );

    beforeAll(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    describe('predictions', () => {
      it('stores every field and reads it back, oldest first', async () => {
        const m = unique('round');
        const full = prediction(m, 2, {
          inputDate: '2024-03-01',
          targetDate: '2024-03-04',
          horizonStep: 1,
          route: 'invocations',
          latencyMs: 1.125,
          prediction: -0.5,
        });
        const bare = prediction(m, 1);
        await store.appendPredictions([full, bare]);
        expect(await store.queryPredictions({ modelName: m })).toEqual([bare, full]);
      });

      it('appending nothing is a no-op; an id appended again keeps its first write', async () => {
        const m = unique('idem');
        await store.appendPredictions([]);
        await store.appendPredictions([prediction(m, 1)]);
        await store.appendPredictions([prediction(m, 1, { prediction: 999 }), prediction(m, 2)]);
        const rows = await store.queryPredictions({ modelName: m });
        expect(rows.map((r) => [r.predictionId, r.prediction])).toEqual([
          [`${m}-p1`, 103],
          [`${m}-p2`, 104],
        ]);
      });

      it('filters by model name, version and [since, until)', async () => {
        const m = unique('filter');
        const other = unique('other');
        await store.appendPredictions([
          prediction(m, 0),
          prediction(m, 1, { modelVersion: '2' }),
          prediction(m, 2),
          prediction(m, 3, { modelVersion: '2' }),
          prediction(other, 1),
        ]);
        const ids = async (q: Parameters<InferenceLogStore['queryPredictions']>[0]) =>
          (await store.queryPredictions(q)).map((r) => r.predictionId.replace(`${m}-`, ''));
        expect(await ids({ modelName: m })).toEqual(['p0', 'p1', 'p2', 'p3']);
        expect(await ids({ modelName: m, modelVersion: '2' })).toEqual(['p1', 'p3']);
        expect(await ids({ modelName: m, since: T0 + 1000, until: T0 + 3000 })).toEqual([
          'p1',
          'p2',
        ]);
        expect(await ids({ modelName: m, since: T0 + 3001 })).toEqual([]);
      });

      it('with a limit returns the newest rows, oldest first; ties go by horizon step', async () => {
        const m = unique('limit');
        const steps = [3, 1, 2].map((k) =>
          prediction(m, 10 + k, { timestamp: T0 + 50_000, horizonStep: k }),
        );
        await store.appendPredictions([prediction(m, 1), prediction(m, 2), ...steps]);
        const all = await store.queryPredictions({ modelName: m });
        expect(all.map((r) => r.horizonStep)).toEqual([1, 1, 1, 2, 3]);
        const last = await store.queryPredictions({ modelName: m, limit: 3 });
        expect(last.map((r) => r.predictionId)).toEqual([`${m}-p11`, `${m}-p12`, `${m}-p13`]);
        expect(await store.queryPredictions({ modelName: m, limit: 100 })).toEqual(all);
      });

      it('takes a batch larger than one SQL statement can bind', async () => {
        const m = unique('bulk');
        const records = Array.from({ length: 5000 }, (_, i) => prediction(m, i));
        await store.appendPredictions(records);
        const rows = await store.queryPredictions({ modelName: m });
        expect(rows).toHaveLength(5000);
        expect(rows[4999]).toEqual(records[4999]);
      });
    });

    describe('feedback', () => {
      it('joins by prediction id; the latest feedback wins', async () => {
        const m = unique('byid');
        await store.appendPredictions([prediction(m, 1), prediction(m, 2)]);
        await store.appendFeedback([
          feedback(unique('f'), { predictionId: `${m}-p1`, actual: 10, timestamp: T0 + 5 }),
          feedback(unique('f'), { predictionId: `${m}-p1`, actual: 11, timestamp: T0 + 9 }),
          feedback(unique('f'), { predictionId: `${m}-p1`, actual: 12, timestamp: T0 + 7 }),
        ]);
        expect(await actuals(m)).toEqual({ [`${m}-p1`]: 11, [`${m}-p2`]: undefined });
        const joined = await store.queryPredictions({ modelName: m });
        expect(joined[1]).not.toHaveProperty('actual');
      });

      it("joins by target date, for the named model's predictions or every model's", async () => {
        const m = unique('bydate');
        const other = unique('bydate-other');
        await store.appendPredictions([
          prediction(m, 1, { targetDate: '2024-03-04' }),
          prediction(m, 2, { targetDate: '2024-03-05' }),
          prediction(m, 3),
          prediction(other, 1, { targetDate: '2024-03-04' }),
          prediction(other, 2, { targetDate: '2024-03-05' }),
        ]);
        await store.appendFeedback([
          feedback(unique('f'), { targetDate: '2024-03-04', modelName: m, actual: 140 }),
          feedback(unique('f'), { targetDate: '2024-03-05', actual: 150 }),
        ]);
        expect(await actuals(m)).toEqual({
          [`${m}-p1`]: 140,
          [`${m}-p2`]: 150,
          [`${m}-p3`]: undefined,
        });
        expect(await actuals(other)).toEqual({
          [`${other}-p1`]: undefined,
          [`${other}-p2`]: 150,
        });
      });

      it('feedback naming the prediction wins over feedback naming its day', async () => {
        const m = unique('both');
        await store.appendPredictions([prediction(m, 1, { targetDate: '2024-03-04' })]);
        await store.appendFeedback([
          feedback(unique('f'), { predictionId: `${m}-p1`, actual: 1, timestamp: T0 }),
          feedback(unique('f'), {
            targetDate: '2024-03-04',
            modelName: m,
            actual: 2,
            timestamp: T0 + 1,
          }),
        ]);
        expect(await actuals(m)).toEqual({ [`${m}-p1`]: 1 });
      });

      it("feedback naming another model does not join this model's prediction", async () => {
        const m = unique('cross');
        await store.appendPredictions([prediction(m, 1)]);
        await store.appendFeedback([
          feedback(unique('f'), { predictionId: `${m}-p1`, modelName: unique('x'), actual: 5 }),
        ]);
        expect(await actuals(m)).toEqual({ [`${m}-p1`]: undefined });
      });

      it('reads feedback back by model, oldest first, newest `limit`', async () => {
        const m = unique('fb');
        await store.appendPredictions([prediction(m, 1, { modelVersion: '7' })]);
        const byId = feedback(unique('f'), {
          predictionId: `${m}-p1`,
          actual: 1.5,
          timestamp: T0 + 3,
        });
        const named = feedback(unique('f'), {
          targetDate: '2024-03-04',
          modelName: m,
          actual: 2.5,
          timestamp: T0 + 1,
        });
        const elsewhere = feedback(unique('f'), {
          targetDate: '2024-03-04',
          modelName: unique('y'),
          actual: 3,
        });
        await store.appendFeedback([byId, named, elsewhere]);
        await store.appendFeedback([{ ...byId, actual: 99 }]); // same id: first write kept
        expect(await store.queryFeedback({ modelName: m, since: T0 + 1 })).toEqual([named, byId]);
        expect(await store.queryFeedback({ modelName: m, modelVersion: '7' })).toEqual([byId]);
        expect(await store.queryFeedback({ modelName: m, since: T0 + 1, limit: 1 })).toEqual([
          byId,
        ]);
        expect(await store.queryFeedback({ modelName: m, since: T0 + 1, until: T0 + 3 })).toEqual([
          named,
        ]);
      });
    });

    describe('validation', () => {
      it('refuses non-finite numbers, missing ids and bad dates, writing nothing', async () => {
        const m = unique('bad');
        const ok = prediction(m, 0);
        await expectInvalid(
          store.appendPredictions([
            ok,
            prediction(m, 1),
            prediction(m, 2, { prediction: Number.NaN }),
          ]),
          2,
          'prediction',
        );
        await expectInvalid(
          store.appendPredictions([
            ok,
            prediction(m, 1, { inputs: [1, Number.POSITIVE_INFINITY] }),
          ]),
          1,
          'inputs',
        );
        const { predictionId: _, ...noId } = prediction(m, 3);
        await expectInvalid(
          store.appendPredictions([ok, noId as InferenceRecord]),
          1,
          'predictionId',
        );
        await expectInvalid(
          store.appendPredictions([prediction(m, 4, { targetDate: '2024-02-30' })]),
          0,
          'targetDate',
        );
        await expectInvalid(
          store.appendPredictions([ok, prediction(m, 5, { inputDate: '03/01/2024' })]),
          1,
          'inputDate',
        );
        expect(await store.queryPredictions({ modelName: m })).toEqual([]);
      });

      it('refuses feedback that names neither a prediction nor a day, or has no actual', async () => {
        await expectInvalid(store.appendFeedback([feedback(unique('f'), {})]), 0, 'targetDate');
        await expectInvalid(
          store.appendFeedback([
            feedback(unique('f'), { targetDate: '2024-03-04' }),
            feedback(unique('f'), { predictionId: 'p', actual: Number.NaN }),
          ]),
          1,
          'actual',
        );
        await expectInvalid(
          store.appendFeedback([feedback(unique('f'), { targetDate: '2024-3-4' })]),
          0,
          'targetDate',
        );
      });

      it('refuses a bad query', async () => {
        await expectCode(store.queryPredictions({ limit: 0 }), 'INVALID_PARAMETER_VALUE');
        await expectCode(store.queryFeedback({ since: -1 }), 'INVALID_PARAMETER_VALUE');
      });
    });
  });
}
