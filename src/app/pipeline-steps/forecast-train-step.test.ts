import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDatasetPath } from '../../forecast/index.js';
import { expectCode } from '../../testing/index.js';
import { builtinSteps } from './index.js';
import type { ModelSummary } from './model-summary.js';

const steps = builtinSteps();

/** A workspace holding the embedded prices as data/prices.csv. */
async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-train-step-'));
  await mkdir(join(dir, 'data'));
  await copyFile(defaultDatasetPath(), join(dir, 'data', 'prices.csv'));
  return dir;
}

function train(dir: string, args: Record<string, unknown>, lines: string[] = []) {
  return steps.get('forecast/train').run({
    with: { data: 'data/prices.csv', preset: 'quick', ...args },
    stage: `train@${String(args['model'])}`,
    root: dir,
    cwd: dir,
    log: (line) => lines.push(line),
  });
}

/** file name -> sha256 of every file in `dir`. */
async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    out[name] = createHash('sha256')
      .update(await readFile(join(dir, name)))
      .digest('hex');
  }
  return out;
}

/** Small enough to train in seconds, big enough to have real weights. */
const TINY_LSTM = { epochs: 2, units: 4, window: 20, seed: 7 };

describe('forecast/train', () => {
  let a: string;
  let b: string;
  beforeAll(async () => {
    [a, b] = await Promise.all([workspace(), workspace()]);
  });
  afterAll(() => Promise.all([a, b].map((d) => rm(d, { recursive: true, force: true }))));

  it('writes byte-identical outs for the same inputs, in two workspaces', async () => {
    const runs = [
      { model: 'persistence', out: 'models/persistence' },
      { model: 'linear', out: 'models/linear' },
      { model: 'lstm', out: 'models/lstm', params: TINY_LSTM },
    ];
    for (const args of runs) {
      await train(a, args);
      await train(b, args);
      const [first, second] = [await hashes(join(a, args.out)), await hashes(join(b, args.out))];
      expect(second, args.model).toEqual(first);
    }
    expect(Object.keys(await hashes(join(a, 'models/persistence')))).toEqual([
      'forecaster.json',
      'model.onnx',
      'summary.json',
    ]);
    expect(Object.keys(await hashes(join(a, 'models/lstm')))).toEqual([
      'forecaster.json',
      'model.json',
      'model.onnx',
      'scaler.json',
      'summary.json',
      'weights.bin',
    ]);
    // Nothing about where or when it ran: no workspace path in any file, no temp dirs left.
    for (const model of ['persistence', 'linear', 'lstm']) {
      for (const name of await readdir(join(a, 'models', model))) {
        const text = await readFile(join(a, 'models', model, name), 'latin1');
        expect(text.includes(a), `${model}/${name}`).toBe(false);
      }
    }
    expect((await readdir(join(a, 'models'))).sort()).toEqual(['linear', 'lstm', 'persistence']);
  });

  it('fits on the training rows only and records the split, data version and params', async () => {
    const summary = JSON.parse(
      await readFile(join(a, 'models/lstm/summary.json'), 'utf8'),
    ) as ModelSummary;
    expect(summary).toMatchObject({
      model: 'lstm',
      preset: 'quick',
      data: { path: 'data/prices.csv', rows: 1500 },
      params: { epochs: 2, units: 4, window: 20, seed: 7 },
      epochs: { trained: 2 },
    });
    expect(summary.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    // 1500 rows: test targets from floor(0.8 x 1500) = 1200 on; training ends before validation.
    expect(summary.ranges.test.firstRow).toBe(1200);
    expect(summary.ranges.validation.lastRow).toBe(1199);
    expect(summary.ranges.train.lastRow).toBe(summary.ranges.validation.firstRow - 1);
    expect(summary.validation['rmse']).toBeGreaterThan(0);
  });

  it('replaces an existing out directory whole', async () => {
    await train(a, { model: 'persistence', out: 'models/linear' });
    expect(Object.keys(await hashes(join(a, 'models/linear')))).toEqual([
      'forecaster.json',
      'model.onnx',
      'summary.json',
    ]);
  });

  it('names the param when a model param is invalid, before reading any data', async () => {
    const err = await expectCode(
      train(a, { model: 'lstm', out: 'models/bad', params: { epochs: 0 } }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(err.message).toMatch(/^argument 'params': Param 'epochs' of model 'lstm' must be/);
    expect(err.details).toMatchObject({ argument: 'params', param: 'epochs' });
    const unknown = await expectCode(
      train(a, { model: 'linear', out: 'models/bad', params: { units: 4 } }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(unknown.message).toContain("Unknown param 'units' for model 'linear'");
  });

  it('stops with DATA_CONTRACT_FAILED on prices that break the contract', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-train-step-'));
    try {
      await mkdir(join(dir, 'data'));
      // Dates going backwards (and far too few rows for a window).
      await writeFile(
        join(dir, 'data/prices.csv'),
        'Date,Open,High,Low,Close,Volume\n2020-01-03,10,11,9,10,100\n2020-01-02,10,11,9,10,100\n',
      );
      await expectCode(
        train(dir, { model: 'linear', out: 'models/linear' }),
        'DATA_CONTRACT_FAILED',
      );
      expect(await readdir(dir)).toEqual(['data']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
