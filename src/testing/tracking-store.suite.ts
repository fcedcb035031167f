import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackingStore } from '../tracking/index.js';
import { expectCode } from './expect-code.js';

export interface TrackingStoreFixture {
  readonly store: TrackingStore;
  cleanup(): Promise<void>;
}

/**
 * The TrackingStore contract, written only against the interface. Every implementation runs it
 * (SQLite, PostgreSQL, and later HTTP); see test/conformance/.
 */
export function trackingStoreSuite(
  name: string,
  factory: () => Promise<TrackingStoreFixture>,
): void {
  describe(`TrackingStore conformance: ${name}`, () => {
    let fixture: TrackingStoreFixture;
    let store: TrackingStore;
    let seq = 0;
    const unique = (base: string) => `${base}-${Date.now()}-${seq++}`;
    const newRun = async (extra: Partial<Parameters<TrackingStore['createRun']>[0]> = {}) => {
      const experimentId = await store.createExperiment({ name: unique('exp') });
      return store.createRun({ experimentId, ...extra });
    };

    beforeAll(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    describe('experiments', () => {
      it('has a Default experiment with id 0', async () => {
        const exp = await store.getExperiment('0');
        expect(exp.name).toBe('Default');
        expect(exp.lifecycleStage).toBe('active');
        expect((await store.getExperimentByName('Default'))?.experimentId).toBe('0');
      });

      it('creates, finds, renames and tags an experiment', async () => {
        const name = unique('goog');
        const id = await store.createExperiment({ name, tags: [{ key: 'team', value: 'quant' }] });
        expect(id).toMatch(/^\d+$/);
        const exp = await store.getExperiment(id);
        expect(exp).toMatchObject({ name, lifecycleStage: 'active', tags: { team: 'quant' } });
        expect(exp.artifactLocation).not.toBe('');
        await store.renameExperiment(id, `${name}-renamed`);
        await store.setExperimentTag(id, 'team', 'ml');
        const renamed = await store.getExperiment(id);
        expect(renamed.name).toBe(`${name}-renamed`);
        expect(renamed.tags['team']).toBe('ml');
        expect(await store.getExperimentByName(name)).toBeUndefined();
      });

      it('refuses duplicate, empty and over-long names', async () => {
        const name = unique('dup');
        await store.createExperiment({ name });
        await expectCode(store.createExperiment({ name }), 'RESOURCE_ALREADY_EXISTS');
        await expectCode(store.createExperiment({ name: '' }), 'INVALID_PARAMETER_VALUE');
        await expectCode(
          store.createExperiment({ name: 'x'.repeat(501) }),
          'INVALID_PARAMETER_VALUE',
        );
      });

      it('answers unknown ids with RESOURCE_DOES_NOT_EXIST', async () => {
        await expectCode(store.getExperiment('987654321'), 'RESOURCE_DOES_NOT_EXIST');
        await expectCode(store.getExperiment('not-a-number'), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('soft-deletes and restores, refuses deleting Default, hides deleted from default search', async () => {
        const name = unique('del');
        const id = await store.createExperiment({ name });
        await store.deleteExperiment(id);
        expect((await store.getExperiment(id)).lifecycleStage).toBe('deleted');
        await expectCode(store.createRun({ experimentId: id }), 'INVALID_PARAMETER_VALUE');
        const active = await store.searchExperiments({ filter: `name = '${name}'` });
        expect(active.items).toHaveLength(0);
        const deleted = await store.searchExperiments({
          filter: `name = '${name}'`,
          viewType: 'DELETED_ONLY',
        });
        expect(deleted.items.map((e) => e.experimentId)).toEqual([id]);
        await store.restoreExperiment(id);
        expect((await store.getExperiment(id)).lifecycleStage).toBe('active');
        await expectCode(store.deleteExperiment('0'), 'INVALID_PARAMETER_VALUE');
      });

      it('restores only the runs its deletion took, and checks the lifecycle', async () => {
        const id = await store.createExperiment({ name: unique('life') });
        const kept = await store.createRun({ experimentId: id });
        const gone = await store.createRun({ experimentId: id });
        await store.deleteRun(gone.info.runId);
        await store.deleteExperiment(id);
        expect((await store.getRun(kept.info.runId)).info.lifecycleStage).toBe('deleted');
        await expectCode(store.deleteExperiment(id), 'INVALID_PARAMETER_VALUE');
        await store.restoreExperiment(id);
        expect((await store.getRun(kept.info.runId)).info.lifecycleStage).toBe('active');
        expect((await store.getRun(gone.info.runId)).info.lifecycleStage).toBe('deleted');
        await expectCode(store.restoreExperiment(id), 'INVALID_PARAMETER_VALUE');
      });

      it('lets exactly one of several concurrent creators of a name win', async () => {
        const name = unique('race');
        const results = await Promise.allSettled(
          [1, 2, 3, 4].map(() => store.createExperiment({ name })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected')
            expect((r.reason as { code?: string }).code).toBe('RESOURCE_ALREADY_EXISTS');
        }
      });

      it('searches experiments by name pattern and pages through them', async () => {
        const base = unique('page');
        for (let i = 0; i < 5; i++) await store.createExperiment({ name: `${base}-${i}` });
        const first = await store.searchExperiments({
          filter: `name LIKE '${base}-%'`,
          maxResults: 3,
          orderBy: ['name ASC'],
        });
        expect(first.items.map((e) => e.name)).toEqual([`${base}-0`, `${base}-1`, `${base}-2`]);
        expect(first.nextPageToken).toBeDefined();
        const second = await store.searchExperiments({
          filter: `name LIKE '${base}-%'`,
          maxResults: 3,
          orderBy: ['name ASC'],
          ...(first.nextPageToken ? { pageToken: first.nextPageToken } : {}),
        });
        expect(second.items.map((e) => e.name)).toEqual([`${base}-3`, `${base}-4`]);
        expect(second.nextPageToken).toBeUndefined();
      });
    });

    describe('runs', () => {
      it('creates a RUNNING run with name tag and artifact uri, and finishes it', async () => {
        const run = await newRun({ runName: 'lstm-1', tags: [{ key: 'model', value: 'lstm' }] });
        expect(run.info).toMatchObject({
          runName: 'lstm-1',
          status: 'RUNNING',
          lifecycleStage: 'active',
          endTime: null,
        });
        expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
        expect(run.info.artifactUri).toContain(run.info.runId);
        expect(run.data.tags).toMatchObject({ 'mlflow.runName': 'lstm-1', model: 'lstm' });
        const info = await store.updateRun(run.info.runId, { status: 'FINISHED' });
        expect(info.status).toBe('FINISHED');
        expect(info.endTime).toBeGreaterThanOrEqual(run.info.startTime);
      });

      it('records the user as MLflow does (mlflow.user)', async () => {
        const run = await newRun({ userId: 'ada' });
        expect(run.info.userId).toBe('ada');
        expect(run.data.tags['mlflow.user']).toBe('ada');
      });

      it('gives a run a generated name when none is given', async () => {
        const run = await newRun();
        expect(run.info.runName).toMatch(/^[a-z]+-[a-z]+-\d+$/);
      });

      it('answers unknown run ids with RESOURCE_DOES_NOT_EXIST', async () => {
        const id = 'f'.repeat(32);
        await expectCode(store.getRun(id), 'RESOURCE_DOES_NOT_EXIST');
        await expectCode(
          store.logBatch(id, { params: [{ key: 'a', value: '1' }] }),
          'RESOURCE_DOES_NOT_EXIST',
        );
        await expectCode(store.updateRun(id, { status: 'FAILED' }), 'RESOURCE_DOES_NOT_EXIST');
        await expectCode(store.createRun({ experimentId: '987654321' }), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('soft-deletes and restores runs; a deleted run takes no writes', async () => {
        const run = await newRun();
        const id = run.info.runId;
        await store.deleteRun(id);
        expect((await store.getRun(id)).info.lifecycleStage).toBe('deleted');
        await expectCode(
          store.logBatch(id, { tags: [{ key: 'a', value: 'b' }] }),
          'INVALID_PARAMETER_VALUE',
        );
        await store.restoreRun(id);
        await store.logBatch(id, { tags: [{ key: 'a', value: 'b' }] });
        expect((await store.getRun(id)).data.tags['a']).toBe('b');
      });

      it('returns snapshots that later writes do not change', async () => {
        const run = await newRun();
        await store.logBatch(run.info.runId, { params: [{ key: 'p', value: '1' }] });
        expect(run.data.params).toEqual({});
      });
    });

    describe('params and tags', () => {
      it('keeps params immutable: the same value is fine, a different one is refused', async () => {
        const run = await newRun();
        const id = run.info.runId;
        await store.logBatch(id, { params: [{ key: 'units', value: '50' }] });
        await store.logBatch(id, { params: [{ key: 'units', value: '50' }] });
        const err = await expectCode(
          store.logBatch(id, { params: [{ key: 'units', value: '64' }] }),
          'INVALID_PARAMETER_VALUE',
        );
        expect(err.message).toContain('units');
        expect((await store.getRun(id)).data.params).toEqual({ units: '50' });
      });

      it('refuses invalid keys and over-long values, naming the key', async () => {
        const id = (await newRun()).info.runId;
        for (const key of [
          '../etc',
          '/abs',
          'a//b',
          'trailing/',
          'bad!char',
          '',
          'k'.repeat(251),
        ]) {
          await expectCode(
            store.logBatch(id, { params: [{ key, value: '1' }] }),
            'INVALID_PARAMETER_VALUE',
          );
        }
        const long = await expectCode(
          store.logBatch(id, { params: [{ key: 'long', value: 'v'.repeat(6001) }] }),
          'INVALID_PARAMETER_VALUE',
        );
        expect(long.message).toContain('long');
        await expectCode(
          store.logBatch(id, { tags: [{ key: 'long', value: 'v'.repeat(8001) }] }),
          'INVALID_PARAMETER_VALUE',
        );
        await store.logBatch(id, {
          params: [{ key: 'ok key/with.dots-and_ok', value: 'v'.repeat(6000) }],
        });
      });

      it('overwrites tags (last wins), deletes them, and reports a missing one', async () => {
        const id = (await newRun()).info.runId;
        await store.logBatch(id, {
          tags: [
            { key: 't', value: '1' },
            { key: 't', value: '2' },
          ],
        });
        expect((await store.getRun(id)).data.tags['t']).toBe('2');
        await store.deleteTag(id, 't');
        expect((await store.getRun(id)).data.tags['t']).toBeUndefined();
        await expectCode(store.deleteTag(id, 't'), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('refuses duplicate param keys within one batch', async () => {
        const id = (await newRun()).info.runId;
        await expectCode(
          store.logBatch(id, {
            params: [
              { key: 'a', value: '1' },
              { key: 'a', value: '1' },
            ],
          }),
          'INVALID_PARAMETER_VALUE',
        );
      });
    });

    describe('metrics', () => {
      it('stores NaN and +-Infinity faithfully in history and latest values', async () => {
        const id = (await newRun()).info.runId;
        const t = 1_700_000_000_000;
        await store.logBatch(id, {
          metrics: [
            { key: 'nan', value: Number.NaN, timestamp: t, step: 0 },
            { key: 'inf', value: Number.POSITIVE_INFINITY, timestamp: t, step: 0 },
            { key: 'ninf', value: Number.NEGATIVE_INFINITY, timestamp: t, step: 0 },
          ],
        });
        const latest = Object.fromEntries(
          (await store.getRun(id)).data.metrics.map((m) => [m.key, m.value]),
        );
        expect(latest['nan']).toBeNaN();
        expect(latest['inf']).toBe(Number.POSITIVE_INFINITY);
        expect(latest['ninf']).toBe(Number.NEGATIVE_INFINITY);
        const history = await store.getMetricHistory(id, 'nan');
        expect(history.items[0]?.value).toBeNaN();
      });

      it('keeps full history and picks the latest by step, then timestamp, then value', async () => {
        const id = (await newRun()).info.runId;
        await store.logBatch(id, {
          metrics: [
            { key: 'loss', value: 5, timestamp: 100, step: 2 },
            { key: 'loss', value: 9, timestamp: 200, step: 1 },
            { key: 'loss', value: 4, timestamp: 100, step: 2 },
          ],
        });
        await store.logBatch(id, { metrics: [{ key: 'loss', value: 1, timestamp: 50, step: 1 }] });
        const run = await store.getRun(id);
        expect(run.data.metrics).toEqual([{ key: 'loss', value: 5, timestamp: 100, step: 2 }]);
        const history = await store.getMetricHistory(id, 'loss');
        expect(history.items).toHaveLength(4);
        expect(history.items.slice(0, 2).map((m) => m.value)).toEqual([1, 9]);
        expect(
          history.items
            .slice(2)
            .map((m) => m.value)
            .sort(),
        ).toEqual([4, 5]);
        expect(history.items.map((m) => m.step)).toEqual([1, 1, 2, 2]);
      });

      it('pages through a metric history', async () => {
        const id = (await newRun()).info.runId;
        const metrics = Array.from({ length: 25 }, (_, step) => ({
          key: 'acc',
          value: step / 10,
          timestamp: 1000 + step,
          step,
        }));
        await store.logBatch(id, { metrics });
        const first = await store.getMetricHistory(id, 'acc', { maxResults: 10 });
        expect(first.items.map((m) => m.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        const rest: number[] = [];
        let token = first.nextPageToken;
        while (token) {
          const page = await store.getMetricHistory(id, 'acc', {
            maxResults: 10,
            pageToken: token,
          });
          rest.push(...page.items.map((m) => m.step));
          token = page.nextPageToken;
        }
        expect(rest).toEqual(Array.from({ length: 15 }, (_, i) => i + 10));
        await expectCode(
          store.getMetricHistory(id, 'acc', { pageToken: 'garbage!' }),
          'INVALID_PARAMETER_VALUE',
        );
      });

      it('keeps the latest value right under concurrent batches', async () => {
        const id = (await newRun()).info.runId;
        await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.logBatch(id, { metrics: [{ key: 'm', value: i, timestamp: 1000 + i, step: i }] }),
          ),
        );
        expect((await store.getRun(id)).data.metrics).toEqual([
          { key: 'm', value: 7, timestamp: 1007, step: 7 },
        ]);
      });

      it('accepts the same param from concurrent writers and refuses a different one', async () => {
        const id = (await newRun()).info.runId;
        await Promise.all(
          [1, 2, 3, 4].map(() => store.logBatch(id, { params: [{ key: 'p', value: 'x' }] })),
        );
        await expectCode(
          store.logBatch(id, { params: [{ key: 'p', value: 'y' }] }),
          'INVALID_PARAMETER_VALUE',
        );
      });

      it('refuses a page size below 1 for metric history', async () => {
        const id = (await newRun()).info.runId;
        await expectCode(
          store.getMetricHistory(id, 'm', { maxResults: 0 }),
          'INVALID_PARAMETER_VALUE',
        );
      });

      it('refuses non-numeric values, negative timestamps and fractional steps', async () => {
        const id = (await newRun()).info.runId;
        const bad = [
          { key: 'm', value: '1' as unknown as number, timestamp: 1, step: 0 },
          { key: 'm', value: 1, timestamp: -1, step: 0 },
          { key: 'm', value: 1, timestamp: 1, step: 0.5 },
        ];
        for (const metric of bad)
          await expectCode(store.logBatch(id, { metrics: [metric] }), 'INVALID_PARAMETER_VALUE');
      });
    });

    describe('batches', () => {
      it('enforces the batch limits', async () => {
        const id = (await newRun()).info.runId;
        const metrics = Array.from({ length: 1001 }, (_, i) => ({
          key: 'm',
          value: i,
          timestamp: 1,
          step: i,
        }));
        await expectCode(store.logBatch(id, { metrics }), 'INVALID_PARAMETER_VALUE');
        const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' }));
        await expectCode(store.logBatch(id, { params }), 'INVALID_PARAMETER_VALUE');
        const tags = Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: '1' }));
        await expectCode(store.logBatch(id, { tags }), 'INVALID_PARAMETER_VALUE');
        await store.logBatch(id, { metrics: metrics.slice(0, 1000) });
        expect((await store.getMetricHistory(id, 'm')).items).toHaveLength(1000);
      });

      it('writes all or nothing', async () => {
        const id = (await newRun()).info.runId;
        await store.logBatch(id, { params: [{ key: 'lr', value: '0.001' }] });
        await expectCode(
          store.logBatch(id, {
            metrics: [{ key: 'rmse', value: 3, timestamp: 1, step: 0 }],
            tags: [{ key: 'stage', value: 'x' }],
            params: [
              { key: 'new', value: '1' },
              { key: 'lr', value: '0.01' },
            ],
          }),
          'INVALID_PARAMETER_VALUE',
        );
        const run = await store.getRun(id);
        expect(run.data.metrics).toEqual([]);
        expect(run.data.tags['stage']).toBeUndefined();
        expect(run.data.params).toEqual({ lr: '0.001' });
      });
    });

    describe('search', () => {
      it('filters with the MLflow grammar, orders and pages', async () => {
        const experimentId = await store.createExperiment({ name: unique('search') });
        for (let i = 0; i < 6; i++) {
          const run = await store.createRun({
            experimentId,
            runName: `r${i}`,
            startTime: 1000 + i,
          });
          await store.logBatch(run.info.runId, {
            params: [{ key: 'units', value: i % 2 === 0 ? '50' : '64' }],
            tags: [{ key: 'model', value: i < 3 ? 'lstm-small' : 'ridge' }],
            metrics: [{ key: 'rmse', value: 10 - i, timestamp: 1, step: 0 }],
          });
          if (i === 5) await store.updateRun(run.info.runId, { status: 'FINISHED' });
        }
        const page = await store.searchRuns({
          experimentIds: [experimentId],
          filter: "metrics.rmse < 9.5 and params.units = '50' and tags.model LIKE 'lstm%'",
          orderBy: ['metrics.rmse ASC'],
        });
        expect(page.items.map((r) => r.info.runName)).toEqual(['r2']);
        const finished = await store.searchRuns({
          experimentIds: [experimentId],
          filter: "attributes.status = 'FINISHED'",
        });
        expect(finished.items.map((r) => r.info.runName)).toEqual(['r5']);
        const all = await store.searchRuns({ experimentIds: [experimentId] });
        expect(all.items.map((r) => r.info.runName)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1', 'r0']);
        const p1 = await store.searchRuns({
          experimentIds: [experimentId],
          orderBy: ['metrics.rmse DESC'],
          maxResults: 4,
        });
        expect(p1.items.map((r) => r.info.runName)).toEqual(['r0', 'r1', 'r2', 'r3']);
        const p2 = await store.searchRuns({
          experimentIds: [experimentId],
          orderBy: ['metrics.rmse DESC'],
          maxResults: 4,
          ...(p1.nextPageToken ? { pageToken: p1.nextPageToken } : {}),
        });
        expect(p2.items.map((r) => r.info.runName)).toEqual(['r4', 'r5']);
        const full = p2.items[0];
        expect(full?.data.params).toEqual({ units: '50' });
        expect(full?.data.metrics.map((m) => m.key)).toEqual(['rmse']);
      });

      it('answers malformed filters with INVALID_PARAMETER_VALUE naming the position', async () => {
        for (const filter of [
          "metrics.rmse < 'x'",
          'params.units = 50',
          'metrics.a < 1 OR metrics.b < 2',
          'metrics.rmse <',
          'bogus.key = 1',
          '(metrics.a < 1)',
        ]) {
          const err = await expectCode(
            store.searchRuns({ experimentIds: ['0'], filter }),
            'INVALID_PARAMETER_VALUE',
          );
          expect(err.message).toMatch(/position \d+/);
        }
      });
    });

    describe('artifact records', () => {
      it('records, replaces and lists artifacts by prefix', async () => {
        const id = (await newRun()).info.runId;
        await store.recordArtifacts(id, [
          { path: 'model/model.json', manifestId: 'a'.repeat(64), size: 10 },
          { path: 'model/weights.bin', manifestId: 'b'.repeat(64), size: 20 },
          { path: 'modelx.txt', manifestId: 'c'.repeat(64), size: 30 },
        ]);
        await store.recordArtifacts(id, [
          { path: 'model/model.json', manifestId: 'd'.repeat(64), size: 11 },
        ]);
        const under = await store.listArtifactRecords(id, 'model');
        expect(under.map((r) => [r.path, r.size])).toEqual([
          ['model/model.json', 11],
          ['model/weights.bin', 20],
        ]);
        expect(await store.listArtifactRecords(id, 'modelx.txt')).toHaveLength(1);
        expect(await store.listArtifactRecords(id)).toHaveLength(3);
        const ids = new Set<string>();
        for await (const m of store.artifactManifestIds()) ids.add(m);
        expect(ids.has('d'.repeat(64))).toBe(true);
        expect(ids.has('a'.repeat(64))).toBe(false);
      });
    });
  });
}
