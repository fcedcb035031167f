import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDatasetPath } from '../../forecast/index.js';
import { expectCode } from '../../testing/index.js';
import { builtinSteps } from './index.js';

const steps = builtinSteps();

describe('forecast/evaluate', () => {
  let dir: string;
  const run = (name: string, args: Record<string, unknown>) =>
    steps.get(name).run({ with: args, stage: name, root: dir, cwd: dir, log: () => undefined });
  const text = (rel: string) => readFile(join(dir, rel), 'utf8');
  const EVALUATE = {
    data: 'data/prices.csv',
    preset: 'quick',
    models: { persistence: 'models/persistence', linear: 'models/linear' },
    metrics: 'metrics.json',
    plots: ['plots/predictions.csv', 'plots/predictions.json', 'plots/predictions.svg'],
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-evaluate-step-'));
    await mkdir(join(dir, 'data'));
    await copyFile(defaultDatasetPath(), join(dir, 'data', 'prices.csv'));
    for (const model of ['persistence', 'linear']) {
      const out = `models/${model}`;
      await run('forecast/train', { data: 'data/prices.csv', model, preset: 'quick', out });
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('scores every model on the same test rows and writes numbers-only metrics', async () => {
    await run('forecast/evaluate', EVALUATE);
    const metrics = JSON.parse(await text('metrics.json')) as Record<
      string,
      Record<string, unknown>
    >;
    // quick: 1500 rows, test targets from row 1200 on.
    expect(metrics).toMatchObject({
      test_rows: 300,
      persistence: { skill: 0, rmse: expect.any(Number) },
    });
    expect(Object.keys(metrics)).toEqual([
      'test_rows',
      'persistence_rmse',
      'persistence',
      'linear',
      'best',
    ]);
    expect(Object.keys(metrics['linear'] ?? {})).toEqual([
      'rmse',
      'mae',
      'mape',
      'directional_accuracy',
      'directional_accuracy_ci_low',
      'directional_accuracy_ci_high',
      'skill',
      'change_std_ratio',
      'dm_statistic',
      'dm_p_value',
      'dm_hln_p_value',
    ]);
    expect(metrics['persistence']?.['rmse']).toBe(metrics['persistence_rmse']);
    // Persistence vs itself has no DM statistic: left out rather than written as null.
    expect(Object.keys(metrics['persistence'] ?? {})).not.toContain('dm_statistic');
    expect(metrics['best']).toMatchObject({
      model: expect.stringMatching(/^(persistence|linear)$/),
    });

    const csv = (await text('plots/predictions.csv')).trimEnd().split('\n');
    expect(csv[0]).toBe('date,actual,persistence,linear');
    expect(csv).toHaveLength(301);
    expect(csv[1]).toMatch(/^2019-02-08,[\d.]+,[\d.]+,[\d.]+$/);
    const rows = JSON.parse(await text('plots/predictions.json')) as Record<string, unknown>[];
    expect(rows[0]).toEqual({
      date: '2019-02-08',
      actual: expect.any(Number),
      persistence: expect.any(Number),
      linear: expect.any(Number),
    });
    expect(await text('plots/predictions.svg')).toMatch(/^<svg[^>]*>/);
  });

  it('gives byte-identical files on a second run, and takes models as a list of dirs', async () => {
    const before = await Promise.all([text('metrics.json'), text('plots/predictions.csv')]);
    await run('forecast/evaluate', {
      ...EVALUATE,
      models: ['models/persistence', 'models/linear'],
    });
    expect(await Promise.all([text('metrics.json'), text('plots/predictions.csv')])).toEqual(
      before,
    );
  });

  it('refuses to score a model on rows it was trained on', async () => {
    // Trained on the quick rows (test from 2019-02-08); the full preset tests from 2016.
    const err = await expectCode(
      run('forecast/evaluate', { ...EVALUATE, preset: 'full' }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(err.message).toContain(
      "Model 'persistence' (models/persistence) was fitted on rows up to the day before 2019-02-08",
    );
    expect(err.message).toContain('preset here: full, at training: quick');
  });

  it('says which model directory holds no model', async () => {
    const err = await expectCode(
      run('forecast/evaluate', { ...EVALUATE, models: { lstm: 'models/lstm' } }),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(err.message).toContain('models/lstm');
  });
});
