import { afterEach, describe, expect, it } from 'vitest';
import { expectCode, gitFixture, type GitFixture } from '../../testing/index.js';
import { lockText } from './lock-fixture.js';
import { metricsDiff } from './metrics-diff.js';
import { metricsShow } from './metrics-show.js';

const MANIFEST = 'b'.repeat(64);
const LOCK = lockText({
  evaluate: {
    outs: [
      { path: 'metrics.json', kind: 'metric' },
      { path: 'eval/scores.yaml', kind: 'metric', manifest: MANIFEST },
      { path: 'plots/loss.csv', kind: 'plot' },
      { path: 'models/model.bin' },
    ],
  },
});
const METRICS_V1 = JSON.stringify({ rmse: 1.5, model: 'lstm', detail: { mae: 0.5, ok: true } });

describe('metrics show and diff', () => {
  let repo: GitFixture;
  afterEach(() => repo.dispose());

  async function committed(): Promise<void> {
    repo = await gitFixture({
      committed: {
        'mlops.lock': LOCK,
        'metrics.json': METRICS_V1,
        'eval/scores.yaml': 'folds:\n  - 0.25\n  - 0.5\n',
      },
    });
  }

  it('shows every numeric leaf of the metrics files the lock lists', async () => {
    await committed();
    const shown = await metricsShow({ root: repo.root });
    expect(shown).toEqual({
      rev: 'workspace',
      commit: null,
      metrics: [
        { path: 'metrics.json', key: 'rmse', value: 1.5 },
        { path: 'metrics.json', key: 'detail.mae', value: 0.5 },
        { path: 'eval/scores.yaml', key: 'folds.0', value: 0.25 },
        { path: 'eval/scores.yaml', key: 'folds.1', value: 0.5 },
      ],
      missing: [],
    });
  });

  it('shows a revision, and lists the files absent there', async () => {
    await committed();
    await repo.write({ 'metrics.json': '{"rmse": 9}' });
    await repo.remove('eval/scores.yaml');
    repo.commit('v2');
    const shown = await metricsShow({ root: repo.root, rev: 'HEAD~1' });
    expect(shown.metrics[0]).toEqual({ path: 'metrics.json', key: 'rmse', value: 1.5 });
    expect((await metricsShow({ root: repo.root, rev: 'HEAD' })).missing).toEqual([
      'eval/scores.yaml',
    ]);
  });

  it('reads a cached metrics file that git does not hold from the byte store', async () => {
    repo = await gitFixture({ committed: { 'mlops.lock': LOCK, 'metrics.json': METRICS_V1 } });
    const asked: string[] = [];
    const readStored = (manifest: string) => {
      asked.push(manifest);
      return Promise.resolve(Buffer.from('{"auc": 0.75}'));
    };
    const shown = await metricsShow({ root: repo.root, rev: 'HEAD', readStored });
    expect(asked).toEqual([MANIFEST]);
    expect(shown.metrics).toContainEqual({ path: 'eval/scores.yaml', key: 'auc', value: 0.75 });
  });

  it('diffs the workspace against HEAD: changed metrics only, with the change', async () => {
    await committed();
    await repo.write({
      'metrics.json': JSON.stringify({ rmse: 1.25, detail: { mae: 0.5, mape: 3 } }),
    });
    const diff = await metricsDiff({ root: repo.root });
    expect(diff.rows).toEqual([
      { path: 'metrics.json', key: 'rmse', old: 1.5, new: 1.25, change: -0.25, status: 'modified' },
      {
        path: 'metrics.json',
        key: 'detail.mape',
        old: null,
        new: 3,
        change: null,
        status: 'added',
      },
    ]);
    expect(diff.missing).toEqual([]);
  });

  it('lists unchanged metrics with all, and files missing at a side', async () => {
    await committed();
    await repo.remove('eval/scores.yaml');
    const diff = await metricsDiff({ root: repo.root, all: true });
    expect(diff.rows.map((r) => [r.key, r.status])).toEqual([
      ['rmse', 'unchanged'],
      ['detail.mae', 'unchanged'],
      ['folds.0', 'deleted'],
      ['folds.1', 'deleted'],
    ]);
    expect(diff.missing).toEqual([{ rev: 'workspace', path: 'eval/scores.yaml' }]);
  });

  it('diffs two commits, including a metrics file only the newer lock lists', async () => {
    await committed();
    await repo.write({
      'metrics.json': '{"rmse": 1.0}',
      'extra.json': '{"speed": 2}',
      'mlops.lock': lockText({
        evaluate: {
          outs: [
            { path: 'metrics.json', kind: 'metric' },
            { path: 'extra.json', kind: 'metric' },
          ],
        },
      }),
    });
    repo.commit('v2');
    const diff = await metricsDiff({ root: repo.root, a: 'HEAD~1', b: 'HEAD' });
    expect(diff.rows).toContainEqual({
      path: 'extra.json',
      key: 'speed',
      old: null,
      new: 2,
      change: null,
      status: 'added',
    });
    expect(diff.rows).toContainEqual(
      expect.objectContaining({ key: 'rmse', old: 1.5, new: 1, change: -0.5 }),
    );
    expect(diff.missing).toEqual([{ rev: 'HEAD~1', path: 'extra.json' }]);
  });

  it('names a malformed metrics file and its revision', async () => {
    await committed();
    await repo.write({ 'metrics.json': '[1, 2, 3]' });
    repo.commit('broken');
    const err = await expectCode(
      metricsShow({ root: repo.root, rev: 'HEAD' }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(err.message).toMatch(
      /metrics\.json at revision 'HEAD' holds a list; expected a metrics file/,
    );
    await repo.write({ 'metrics.json': '{"rmse": [1, ' });
    const bad = await expectCode(
      metricsDiff({ root: repo.root, a: 'HEAD~1' }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(bad.message).toMatch(/^metrics\.json is neither JSON nor YAML/);
  });

  it('names an unknown revision', async () => {
    await committed();
    const err = await expectCode(
      metricsDiff({ root: repo.root, a: 'HEAD', b: 'no-such-branch' }),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(err.message).toContain("Unknown revision 'no-such-branch'");
  });
});
