import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { splitWindows } from '../features/sliding-windows.js';
import { protocolSplit } from '../features/split.js';
import { loadForecaster } from './load-forecaster.js';
import { RidgeForecaster } from './ridge-forecaster.js';
import { syntheticCloses } from './synthetic-closes.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const closes = syntheticCloses(400, 2, 0.5);
const split = protocolSplit(closes.length, 5);
const test = splitWindows(closes, split, 'test', 5);

describe('RidgeForecaster', () => {
  it('finds the AR(1) memory of log returns', async () => {
    const f = new RidgeForecaster({ window: 5, alpha: 1 });
    await f.fit({ closes, split });
    const w = f.state!.weights;
    expect(w).toHaveLength(4);
    // The last return carries the memory (0.5); older ones carry little.
    expect(w[3]).toBeGreaterThan(0.3);
    expect(Math.abs(w[0]!)).toBeLessThan(0.2);
  });

  it('predicts in price units for both targets', async () => {
    for (const target of ['log_return', 'close_minmax']) {
      // alpha pinned: the default (1000, chosen for log returns) over-shrinks scaled prices.
      const f = new RidgeForecaster({ window: 5, target, alpha: 1 });
      await f.fit({ closes, split });
      const predicted = await f.predict(test.windows);
      predicted.forEach((p, k) => expect(Math.abs(p / test.targets[k]! - 1)).toBeLessThan(0.1));
    }
  });

  it('saves and loads to bit-identical predictions', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mlops-ridge-'));
    const f = new RidgeForecaster({ window: 5, alpha: '0.5' });
    await f.fit({ closes, split });
    await f.save(dir);
    const loaded = await loadForecaster(dir);
    expect(loaded.kind).toBe('linear');
    expect(loaded.params).toEqual(f.params);
    const a = await f.predict(test.windows);
    const b = await loaded.predict(test.windows);
    expect(new Uint8Array(b.buffer)).toEqual(new Uint8Array(a.buffer));
  });

  it('refuses to predict, save or export before fit', async () => {
    const f = new RidgeForecaster();
    await expect(f.predict([])).rejects.toThrow(/not fitted/);
    await expect(f.exportOnnx()).rejects.toThrow(/not fitted/);
  });

  it('names the row of a bad training or validation close', async () => {
    const bad = Float64Array.from(closes);
    bad[split.testStart - 1] = NaN;
    await expect(new RidgeForecaster({ window: 5 }).fit({ closes: bad, split })).rejects.toThrow(
      `row ${split.testStart - 1}`,
    );
  });

  it('says when there are too few rows for the window', async () => {
    const short = syntheticCloses(30);
    await expect(
      new RidgeForecaster({ window: 25 }).fit({ closes: short, split: protocolSplit(30, 25) }),
    ).rejects.toThrow(/Too few rows for window 25/);
  });
});
