import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { splitWindows } from '../features/sliding-windows.js';
import { protocolSplit } from '../features/split.js';
import { loadForecaster } from './load-forecaster.js';
import { LstmForecaster } from './lstm-forecaster.js';
import type { RawParams } from './param-spec.js';
import { syntheticCloses } from './synthetic-closes.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Tiny and quick: 200 rows, window 10, 2 x LSTM(4), 2 epochs. */
const TINY = { window: 10, units: 4, layers: 2, epochs: 2, batchSize: 16, dropout: 0.2 };
const closes = syntheticCloses(200, 4);
const split = protocolSplit(200, 10);
const test = splitWindows(closes, split, 'test', 10);

async function fitted(params: RawParams = {}) {
  const f = new LstmForecaster({ ...TINY, ...params });
  await f.fit({ closes, split });
  const state = f.state!;
  const weights = state.model.getWeights().map((w) => Buffer.from(w.dataSync().buffer));
  const predicted = await f.predict(test.windows);
  return { f, weights, predicted };
}

const hex = (a: Float64Array) => Buffer.from(a.buffer).toString('hex');

describe('LstmForecaster', () => {
  it('is deterministic: one seed gives bit-identical weights and predictions', async () => {
    const a = await fitted({ seed: 11 });
    const b = await fitted({ seed: 11 });
    const c = await fitted({ seed: 12 });
    expect(b.weights).toEqual(a.weights);
    expect(hex(b.predicted)).toEqual(hex(a.predicted));
    expect(c.weights).not.toEqual(a.weights);
    for (const x of [a, b, c]) x.f.dispose();
  });

  it('trains, logs each epoch and reports the backend', async () => {
    const logs: number[] = [];
    const f = new LstmForecaster({ ...TINY, layers: 1 });
    await f.fit({ closes, split }, { onEpoch: (log) => logs.push(log.epoch) });
    expect(logs).toEqual([1, 2]);
    expect(['wasm', 'tensorflow']).toContain(f.backend);
    expect(f.state?.training?.history).toHaveLength(2);
    const predicted = await f.predict(test.windows);
    predicted.forEach((p, k) => expect(Math.abs(p / test.targets[k]! - 1)).toBeLessThan(0.2));
    f.dispose();
  });

  it('predicts in price units with the close_minmax target', async () => {
    const { f, predicted } = await fitted({ target: 'close_minmax', layers: 1 });
    expect(f.state?.transform.kind).toBe('close_minmax');
    predicted.forEach((p) => expect(Number.isFinite(p) && p > 0).toBe(true));
    f.dispose();
  });

  it('saves model.json, weights.bin and forecaster.json and loads bit-identical', async () => {
    const { f, predicted } = await fitted({ layers: 1 });
    dir = await mkdtemp(path.join(tmpdir(), 'mlops-lstm-'));
    await f.save(dir);
    expect((await readdir(dir)).sort()).toEqual(['forecaster.json', 'model.json', 'weights.bin']);
    const loaded = await loadForecaster(dir);
    expect(loaded.kind).toBe('lstm');
    expect(loaded.params).toEqual(f.params);
    expect((loaded as LstmForecaster).state?.training).toEqual(f.state?.training);
    expect(hex(await loaded.predict(test.windows))).toEqual(hex(predicted));
    f.dispose();
    (loaded as LstmForecaster).dispose();
  });

  it('refuses to predict before fit', async () => {
    await expect(new LstmForecaster().predict([])).rejects.toThrow(/not fitted/);
  });
});
