import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackingStore } from '../tracking/index.js';
import { expectCode } from './expect-code.js';
import { metricsBatchesAndSearchCases, type SuiteContext } from './tracking-store-cases.js';

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

    const ctx: SuiteContext = { store: undefined as unknown as TrackingStore, unique, newRun };
    beforeAll(async () => {
      fixture = await factory();
      store = fixture.store;
      ctx.store = store;
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
        await store.deleteExperimentTag(id, 'team');
        expect((await store.getExperiment(id)).tags['team']).toBeUndefined();
        await expectCode(store.deleteExperimentTag(id, 'team'), 'RESOURCE_DOES_NOT_EXIST');
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
        // Only the fields given are applied; none given changes nothing.
        expect(await store.updateRun(run.info.runId, {})).toEqual(info);
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

    metricsBatchesAndSearchCases(ctx);
  });
}
