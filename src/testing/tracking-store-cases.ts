import { describe, expect, it } from 'vitest';
import type { CreateRunInput, Run, TrackingStore } from '../tracking/index.js';
import { expectCode } from './expect-code.js';

/** What the shared cases need from the suite: the store (set in beforeAll) and two helpers. */
export interface SuiteContext {
  store: TrackingStore;
  unique(base: string): string;
  newRun(extra?: Partial<CreateRunInput>): Promise<Run>;
}

/** Metrics, batches, search and artifact records: the second half of the TrackingStore contract. */
export function metricsBatchesAndSearchCases(ctx: SuiteContext): void {
  describe('metrics', () => {
    it('stores NaN and +-Infinity faithfully in history and latest values', async () => {
      const id = (await ctx.newRun()).info.runId;
      const t = 1_700_000_000_000;
      await ctx.store.logBatch(id, {
        metrics: [
          { key: 'nan', value: Number.NaN, timestamp: t, step: 0 },
          { key: 'inf', value: Number.POSITIVE_INFINITY, timestamp: t, step: 0 },
          { key: 'ninf', value: Number.NEGATIVE_INFINITY, timestamp: t, step: 0 },
        ],
      });
      const latest = Object.fromEntries(
        (await ctx.store.getRun(id)).data.metrics.map((m) => [m.key, m.value]),
      );
      expect(latest['nan']).toBeNaN();
      expect(latest['inf']).toBe(Number.POSITIVE_INFINITY);
      expect(latest['ninf']).toBe(Number.NEGATIVE_INFINITY);
      const history = await ctx.store.getMetricHistory(id, 'nan');
      expect(history.items[0]?.value).toBeNaN();
    });

    it('keeps full history and picks the latest by step, then timestamp, then value', async () => {
      const id = (await ctx.newRun()).info.runId;
      await ctx.store.logBatch(id, {
        metrics: [
          { key: 'loss', value: 5, timestamp: 100, step: 2 },
          { key: 'loss', value: 9, timestamp: 200, step: 1 },
          { key: 'loss', value: 4, timestamp: 100, step: 2 },
        ],
      });
      await ctx.store.logBatch(id, {
        metrics: [{ key: 'loss', value: 1, timestamp: 50, step: 1 }],
      });
      const run = await ctx.store.getRun(id);
      expect(run.data.metrics).toEqual([{ key: 'loss', value: 5, timestamp: 100, step: 2 }]);
      const history = await ctx.store.getMetricHistory(id, 'loss');
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
      const id = (await ctx.newRun()).info.runId;
      const metrics = Array.from({ length: 25 }, (_, step) => ({
        key: 'acc',
        value: step / 10,
        timestamp: 1000 + step,
        step,
      }));
      await ctx.store.logBatch(id, { metrics });
      const first = await ctx.store.getMetricHistory(id, 'acc', { maxResults: 10 });
      expect(first.items.map((m) => m.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const rest: number[] = [];
      let token = first.nextPageToken;
      while (token) {
        const page = await ctx.store.getMetricHistory(id, 'acc', {
          maxResults: 10,
          pageToken: token,
        });
        rest.push(...page.items.map((m) => m.step));
        token = page.nextPageToken;
      }
      expect(rest).toEqual(Array.from({ length: 15 }, (_, i) => i + 10));
      await expectCode(
        ctx.store.getMetricHistory(id, 'acc', { pageToken: 'garbage!' }),
        'INVALID_PARAMETER_VALUE',
      );
    });

    it('keeps the latest value right under concurrent batches', async () => {
      const id = (await ctx.newRun()).info.runId;
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          ctx.store.logBatch(id, {
            metrics: [{ key: 'm', value: i, timestamp: 1000 + i, step: i }],
          }),
        ),
      );
      expect((await ctx.store.getRun(id)).data.metrics).toEqual([
        { key: 'm', value: 7, timestamp: 1007, step: 7 },
      ]);
    });

    it('accepts the same param from concurrent writers and refuses a different one', async () => {
      const id = (await ctx.newRun()).info.runId;
      await Promise.all(
        [1, 2, 3, 4].map(() => ctx.store.logBatch(id, { params: [{ key: 'p', value: 'x' }] })),
      );
      await expectCode(
        ctx.store.logBatch(id, { params: [{ key: 'p', value: 'y' }] }),
        'INVALID_PARAMETER_VALUE',
      );
    });

    it('keeps one copy of an identical point logged again (as MLflow)', async () => {
      const id = (await ctx.newRun()).info.runId;
      const point = { key: 'acc', value: 0.5, timestamp: 1000, step: 0 };
      const nan = { key: 'acc', value: Number.NaN, timestamp: 1000, step: 0 };
      await ctx.store.logBatch(id, { metrics: [point, point, nan] });
      await ctx.store.logBatch(id, { metrics: [point, nan, { ...point, timestamp: 1001 }] });
      const history = (await ctx.store.getMetricHistory(id, 'acc')).items;
      expect(history).toHaveLength(3);
    });

    it('refuses a page size below 1 for metric history', async () => {
      const id = (await ctx.newRun()).info.runId;
      await expectCode(
        ctx.store.getMetricHistory(id, 'm', { maxResults: 0 }),
        'INVALID_PARAMETER_VALUE',
      );
    });

    it('refuses non-numeric values, negative timestamps and fractional steps', async () => {
      const id = (await ctx.newRun()).info.runId;
      const bad = [
        { key: 'm', value: '1' as unknown as number, timestamp: 1, step: 0 },
        { key: 'm', value: 1, timestamp: -1, step: 0 },
        { key: 'm', value: 1, timestamp: 1, step: 0.5 },
      ];
      for (const metric of bad)
        await expectCode(ctx.store.logBatch(id, { metrics: [metric] }), 'INVALID_PARAMETER_VALUE');
    });
  });

  describe('batches', () => {
    it('enforces the batch limits', async () => {
      const id = (await ctx.newRun()).info.runId;
      const metrics = Array.from({ length: 1001 }, (_, i) => ({
        key: 'm',
        value: i,
        timestamp: 1,
        step: i,
      }));
      await expectCode(ctx.store.logBatch(id, { metrics }), 'INVALID_PARAMETER_VALUE');
      const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' }));
      await expectCode(ctx.store.logBatch(id, { params }), 'INVALID_PARAMETER_VALUE');
      const tags = Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: '1' }));
      await expectCode(ctx.store.logBatch(id, { tags }), 'INVALID_PARAMETER_VALUE');
      await ctx.store.logBatch(id, { metrics: metrics.slice(0, 1000) });
      expect((await ctx.store.getMetricHistory(id, 'm')).items).toHaveLength(1000);
    });

    it('writes all or nothing', async () => {
      const id = (await ctx.newRun()).info.runId;
      await ctx.store.logBatch(id, { params: [{ key: 'lr', value: '0.001' }] });
      await expectCode(
        ctx.store.logBatch(id, {
          metrics: [{ key: 'rmse', value: 3, timestamp: 1, step: 0 }],
          tags: [{ key: 'stage', value: 'x' }],
          params: [
            { key: 'new', value: '1' },
            { key: 'lr', value: '0.01' },
          ],
        }),
        'INVALID_PARAMETER_VALUE',
      );
      const run = await ctx.store.getRun(id);
      expect(run.data.metrics).toEqual([]);
      expect(run.data.tags['stage']).toBeUndefined();
      expect(run.data.params).toEqual({ lr: '0.001' });
    });
  });

  describe('search', () => {
    it('filters with the MLflow grammar, orders and pages', async () => {
      const experimentId = await ctx.store.createExperiment({ name: ctx.unique('search') });
      for (let i = 0; i < 6; i++) {
        const run = await ctx.store.createRun({
          experimentId,
          runName: `r${i}`,
          startTime: 1000 + i,
        });
        await ctx.store.logBatch(run.info.runId, {
          params: [{ key: 'units', value: i % 2 === 0 ? '50' : '64' }],
          tags: [{ key: 'model', value: i < 3 ? 'lstm-small' : 'ridge' }],
          metrics: [{ key: 'rmse', value: 10 - i, timestamp: 1, step: 0 }],
        });
        if (i === 5) await ctx.store.updateRun(run.info.runId, { status: 'FINISHED' });
      }
      const page = await ctx.store.searchRuns({
        experimentIds: [experimentId],
        filter: "metrics.rmse < 9.5 and params.units = '50' and tags.model LIKE 'lstm%'",
        orderBy: ['metrics.rmse ASC'],
      });
      expect(page.items.map((r) => r.info.runName)).toEqual(['r2']);
      const finished = await ctx.store.searchRuns({
        experimentIds: [experimentId],
        filter: "attributes.status = 'FINISHED'",
      });
      expect(finished.items.map((r) => r.info.runName)).toEqual(['r5']);
      const all = await ctx.store.searchRuns({ experimentIds: [experimentId] });
      expect(all.items.map((r) => r.info.runName)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1', 'r0']);
      const p1 = await ctx.store.searchRuns({
        experimentIds: [experimentId],
        orderBy: ['metrics.rmse DESC'],
        maxResults: 4,
      });
      expect(p1.items.map((r) => r.info.runName)).toEqual(['r0', 'r1', 'r2', 'r3']);
      const p2 = await ctx.store.searchRuns({
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
          ctx.store.searchRuns({ experimentIds: ['0'], filter }),
          'INVALID_PARAMETER_VALUE',
        );
        expect(err.message).toMatch(/position \d+/);
      }
    });
  });

  describe('artifact records', () => {
    it('records, replaces and lists artifacts by prefix', async () => {
      const id = (await ctx.newRun()).info.runId;
      await ctx.store.recordArtifacts(id, [
        { path: 'model/model.json', manifestId: 'a'.repeat(64), size: 10 },
        { path: 'model/weights.bin', manifestId: 'b'.repeat(64), size: 20 },
        { path: 'modelx.txt', manifestId: 'c'.repeat(64), size: 30 },
      ]);
      await ctx.store.recordArtifacts(id, [
        { path: 'model/model.json', manifestId: 'd'.repeat(64), size: 11 },
      ]);
      const under = await ctx.store.listArtifactRecords(id, 'model');
      expect(under.map((r) => [r.path, r.size])).toEqual([
        ['model/model.json', 11],
        ['model/weights.bin', 20],
      ]);
      expect(await ctx.store.listArtifactRecords(id, 'modelx.txt')).toHaveLength(1);
      expect(await ctx.store.listArtifactRecords(id)).toHaveLength(3);
      const ids = new Set<string>();
      for await (const m of ctx.store.artifactManifestIds()) ids.add(m);
      expect(ids.has('d'.repeat(64))).toBe(true);
      expect(ids.has('a'.repeat(64))).toBe(false);
    });
  });
}
