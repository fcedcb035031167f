import { describe, expect, it } from 'vitest';
import type { MonitorDataset } from '../dataset.js';
import { computeDataDrift } from './compute-data-drift.js';
import { profileReference } from './reference-profile.js';

const dataset = (columns: MonitorDataset['columns']): MonitorDataset => ({
  rows: Object.values(columns)[0]?.length ?? 0,
  columns,
});

/** Spread over ±1.5e308: finite values whose sums, squares and ranges overflow a double. */
function huge(n: number, shift: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => {
    const u = ((i * 7919) % n) / (n - 1); // a permutation of 0..1
    return (u * 2 - 1 + shift) * 1.5e308 * (1 / (1 + Math.abs(shift)));
  });
}

/** Every number anywhere in `value` (the engine must emit finite numbers only). */
function numbersIn(value: unknown, path = '$'): Array<[string, number]> {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  }
  return [];
}

const nonFinite = (value: unknown) => numbersIn(value).filter(([, n]) => !Number.isFinite(n));

describe('computeDataDrift: values near ±1e308', () => {
  const reference = dataset({ big: huge(2000, 0), small: huge(500, 0) });
  const current = dataset({ big: huge(1500, 0.2), small: huge(400, 0.2) });

  it('emits finite summaries, bin edges and scores (default tests)', async () => {
    const result = await computeDataDrift(reference, current);
    expect(nonFinite(result)).toEqual([]);
    const [big, small] = result.columns;
    expect(big).toMatchObject({ test: 'wasserstein', status: 'ok' });
    expect(small).toMatchObject({ test: 'ks', status: 'ok' });
    // Near ±1.5e308 spread evenly: std of a uniform over [-a, a] is a/√3.
    expect(big!.reference.std! / (1.5e308 / Math.sqrt(3))).toBeCloseTo(1, 2);
    expect(big!.reference.mean! / 1.5e308).toBeCloseTo(0, 2);
    const edges = big!.distribution?.type === 'histogram' ? big!.distribution.edges : [];
    expect(edges).toHaveLength(11);
    for (let i = 1; i < edges.length; i++) expect(edges[i]!).toBeGreaterThan(edges[i - 1]!);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('gives every test a finite score or an error that says the values overflow', async () => {
    for (const test of [
      'wasserstein',
      'ed',
      'psi',
      'kl_div',
      'jensenshannon',
      'hellinger',
      'ks',
      'anderson',
      'cramer_von_mises',
      'mannw',
      't_test',
    ]) {
      const result = await computeDataDrift(reference, current, { test });
      expect(nonFinite(result), test).toEqual([]);
      for (const column of result.columns) {
        if (column.status === 'error')
          expect(column.problem, test).toMatch(/overflow|largest double/);
      }
      // The distances have finite true values here: they must not give up.
      if (['wasserstein', 'ed', 'psi', 'jensenshannon', 'ks'].includes(test)) {
        expect(
          result.columns.map((c) => c.status),
          test,
        ).toEqual(['ok', 'ok']);
      }
    }
  });

  it('scores the same as the values in a smaller unit', async () => {
    const tiny = (d: MonitorDataset) =>
      dataset({ big: (d.columns.big as Float64Array).map((v) => v * 1e-300) });
    for (const test of ['wasserstein', 'psi', 'jensenshannon', 'ks']) {
      const [big] = (await computeDataDrift(reference, current, { test })).columns;
      const [small] = (await computeDataDrift(tiny(reference), tiny(current), { test })).columns;
      expect(big!.score! / small!.score!, test).toBeCloseTo(1, 9);
    }
  });

  it('a cached profile of such values matches the cold result', async () => {
    const profile = await profileReference(reference);
    expect(await computeDataDrift(profile, current)).toEqual(
      await computeDataDrift(reference, current),
    );
  });
});
