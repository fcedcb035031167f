import { describe, expect, it, vi } from 'vitest';
import { MlopsError } from '../../core/index.js';
import type { MonitorDataset } from '../dataset.js';
import { computeDataDrift } from './compute-data-drift.js';
import { profileReference } from './reference-profile.js';
import { liveSortThreads } from './sort-pool.js';

// Real worker threads, running a program that dies on its first array (as one that ran out of
// memory would): the engine must fail clearly and leave no thread behind.
vi.mock('./sort-pool.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./sort-pool.js')>();
  const crashing = `
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', () => { throw new Error('simulated crash'); });
  `;
  return {
    ...original,
    withSortPool: <T>(
      workers: number,
      fn: (pool: import('./sort-pool.js').SortPool) => Promise<T>,
    ) => original.withSortPool(workers, fn, crashing),
  };
});

const column = (n: number, seed: number) =>
  Float64Array.from({ length: n }, (_, i) => (i * seed) % 997);
const dataset = (columns: MonitorDataset['columns']): MonitorDataset => ({
  rows: Object.values(columns)[0]!.length,
  columns,
});

describe('a worker thread that crashes', () => {
  const reference = dataset({ a: column(5000, 7), b: column(5000, 11), c: column(5000, 13) });
  const current = dataset({ a: column(4000, 17), b: column(4000, 19), c: column(4000, 23) });

  it('rejects computeDataDrift with an MlopsError naming the columns and the way out', async () => {
    const error = await computeDataDrift(reference, current, { workers: 2 }).catch((e) => e);
    expect(MlopsError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR' });
    expect(error.message).toMatch(/worker thread sorting columns 'a', 'b', 'c' failed/);
    expect(error.message).toMatch(/simulated crash/);
    expect(error.message).toMatch(/workers: 0/);
    expect(liveSortThreads()).toBe(0);
  });

  it('rejects profileReference the same way', async () => {
    const error = await profileReference(reference, { workers: 1 }).catch((e) => e);
    expect(MlopsError.is(error)).toBe(true);
    expect(error.message).toMatch(/columns 'a', 'b', 'c' failed: .*simulated crash/);
    expect(liveSortThreads()).toBe(0);
  });

  it('workers: 0 starts no thread and computes', async () => {
    const result = await computeDataDrift(reference, current, { workers: 0 });
    expect(result.testedColumns).toBe(3);
  });
});
