import { describe, expect, it } from 'vitest';
import { driftTest, type ColumnKind } from '../stats/index.js';
import { computeDataDrift } from './compute-data-drift.js';

/**
 * The engine computes wasserstein, ed, psi, kl_div and jensenshannon itself on sorted or
 * counted data. Each must give the registered test's score and drift decision, including at a
 * threshold equal to the score (where >= and > differ).
 */
const numbers = {
  reference: Float64Array.from({ length: 400 }, (_, i) => Math.sin(i) * 3 + (i % 7)),
  current: Float64Array.from({ length: 300 }, (_, i) => Math.cos(i) * 2 + (i % 5) + 0.5),
};
const few = {
  reference: Float64Array.from({ length: 60 }, (_, i) => (i % 4) * 1.5),
  current: Float64Array.from({ length: 40 }, (_, i) => (i % 3) * 1.5),
};
const labels = {
  reference: Array.from({ length: 90 }, (_, i) => `c${i % 6}`),
  current: Array.from({ length: 70 }, (_, i) => `c${(i * i) % 8}`),
};
const codes = {
  reference: Float64Array.from({ length: 90 }, (_, i) => i % 6),
  current: Float64Array.from({ length: 70 }, (_, i) => (i * i) % 8),
};

async function engine(
  test: string,
  kind: ColumnKind,
  data: { reference: Float64Array | string[]; current: Float64Array | string[] },
  threshold?: number,
) {
  const result = await computeDataDrift(
    { rows: data.reference.length, columns: { x: data.reference } },
    { rows: data.current.length, columns: { x: data.current } },
    { perColumn: { x: { test, kind, ...(threshold === undefined ? {} : { threshold }) } } },
  );
  return result.columns[0]!;
}

describe('fast paths match the registered tests', () => {
  const numerical = ['wasserstein', 'ed', 'psi', 'kl_div', 'jensenshannon'];
  it.each(numerical)('%s on numbers (Sturges bins and value bins)', async (name) => {
    for (const data of [numbers, few]) {
      const expected = driftTest(name, 'numerical').run(data.reference, data.current);
      const got = await engine(name, 'numerical', data);
      expect(got.status).toBe('ok');
      expect(got.score).toBeCloseTo(expected.statistic, 12);
      for (const threshold of [expected.statistic, expected.statistic * 1.5]) {
        const decision = driftTest(name, 'numerical').run(data.reference, data.current, threshold);
        expect((await engine(name, 'numerical', data, threshold)).drifted).toBe(decision.drifted);
      }
    }
  });

  it.each(['psi', 'kl_div', 'jensenshannon'])('%s on labels and on integer codes', async (name) => {
    const expected = driftTest(name, 'categorical').run(labels.reference, labels.current);
    expect((await engine(name, 'categorical', labels)).score).toBeCloseTo(expected.statistic, 12);
    // The same categories coded as numbers give the same shares.
    expect((await engine(name, 'categorical', codes)).score).toBeCloseTo(expected.statistic, 12);
  });
});
