import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { protocolSplit } from '../features/split.js';
import type { Forecaster } from './forecaster.js';
import { loadForecaster } from './load-forecaster.js';
import { PersistenceForecaster } from './persistence-forecaster.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('PersistenceForecaster', () => {
  it("predicts each window's last close", async () => {
    const f = new PersistenceForecaster({ window: '3' });
    await f.fit({ closes: new Float64Array(50).fill(1), split: protocolSplit(50, 3) });
    const out = await f.predict([Float64Array.of(1, 2, 3), Float64Array.of(9, 8, 7.5)]);
    expect(Array.from(out)).toEqual([3, 7.5]);
    expect((f as Forecaster).backend).toBeUndefined();
  });

  it('rejects windows of the wrong length', async () => {
    const f = new PersistenceForecaster({ window: 3 });
    await expect(f.predict([Float64Array.of(1, 2)])).rejects.toThrow(/exactly 3/);
  });

  it('saves and loads', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mlops-persistence-'));
    await new PersistenceForecaster({ window: 4 }).save(dir);
    const loaded = await loadForecaster(dir);
    expect(loaded.kind).toBe('persistence');
    expect(loaded.windowSize).toBe(4);
    expect(Array.from(await loaded.predict([Float64Array.of(1, 2, 3, 4)]))).toEqual([4]);
  });
});
