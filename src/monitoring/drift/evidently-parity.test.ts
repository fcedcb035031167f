import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ColumnValues } from '../dataset.js';
import { computeDataDrift } from './compute-data-drift.js';
import type { DriftOptions } from './drift-types.js';

/**
 * The whole engine (cleaning, selection, fast paths, registered tests) against scipy's values in
 * the shared vectors (drift-stats.json). Skipped with a message when the shared folder is absent.
 */
const file = [
  join(import.meta.dirname, '../../../../shared/testvectors/drift-stats.json'),
  '/work/shared/testvectors/drift-stats.json',
].find((p) => existsSync(p));

interface VectorCase {
  name: string;
  kind: 'numerical' | 'categorical';
  reference: (number | string)[];
  current: (number | string)[];
  expected: Record<string, unknown>;
}
const cases: VectorCase[] = file
  ? (JSON.parse(readFileSync(file, 'utf8')) as { cases: VectorCase[] }).cases
  : [];

/**
 * Engine test name -> the key of scipy's value in the vectors, and its relative tolerance. The
 * stored samples are rounded to 6 decimals after scipy ran, which moves the CDF distances by
 * ~1e-7 (the conformance suite pins them to 1e-9 on the stored samples): 1e-6 for those.
 * The engine's own arithmetic is held tighter by run-test.test.ts (fast paths vs registered
 * tests to 1e-12).
 */
const KEYS: Record<string, [key: string, relative: number]> = {
  ks: ['ks_pvalue', 1e-6],
  wasserstein: ['wasserstein_normed', 1e-6],
  psi: ['psi', 1e-9],
  kl_div: ['kl_div', 1e-9],
  jensenshannon: ['jensenshannon', 1e-9],
  ed: ['energy_distance', 1e-6],
  anderson: ['anderson_significance_level', 1e-6],
  cramer_von_mises: ['cramer_von_mises_pvalue', 1e-6],
  mannw: ['mannwhitney_u_less_pvalue', 1e-6],
  // A p-value of 4e-5 amplifies the rounding of the samples to ~2e-6.
  t_test: ['t_test_pvalue', 1e-5],
  chisquare: ['chisquare_pvalue', 1e-6],
  z: ['z_first_category_pvalue', 1e-6],
};

function column(c: VectorCase, side: 'reference' | 'current'): ColumnValues {
  return c.kind === 'numerical'
    ? Float64Array.from(c[side] as number[])
    : (c[side] as string[]).map(String);
}

async function run(c: VectorCase, options: DriftOptions = {}) {
  const result = await computeDataDrift(
    { rows: c.reference.length, columns: { x: column(c, 'reference') } },
    { rows: c.current.length, columns: { x: column(c, 'current') } },
    { ...options, perColumn: { x: { kind: c.kind, ...options.perColumn?.['x'] } } },
  );
  return result.columns[0]!;
}

function close(actual: number | null, expected: number, relative: number, what: string): void {
  expect(actual, what).not.toBeNull();
  const tolerance = Math.max(relative * Math.abs(expected), 1e-12);
  expect(Math.abs(actual! - expected), what).toBeLessThanOrEqual(tolerance);
}

describe.skipIf(!file)('engine vs scipy vectors (drift-stats.json)', () => {
  if (!file) it.skip('shared/testvectors/drift-stats.json not found', () => {});

  it.each(cases.map((c) => [c.name, c] as const))('%s: every test in the vectors', async (_, c) => {
    for (const [test, [key, relative]] of Object.entries(KEYS)) {
      const expected = c.expected[key];
      if (typeof expected !== 'number') continue;
      const got = await run(c, { perColumn: { x: { test } } });
      expect(got.status, `${test}: ${got.problem}`).toBe('ok');
      close(got.score, expected, relative, `${c.name} ${test}`);
    }
  });

  it("chooses Evidently's default test and scores it as scipy does", async () => {
    const byName = new Map(cases.map((c) => [c.name, c]));
    const expectations = [
      ['normal_same_small', 'ks'],
      ['normal_shift_large', 'wasserstein'],
      ['lognormal_prices', 'wasserstein'],
      ['categorical_same', 'chisquare'],
      ['categorical_shift', 'chisquare'],
      ['binary_shift', 'z'],
    ] as const;
    for (const [name, test] of expectations) {
      const c = byName.get(name);
      if (!c) continue;
      const got = await run(c);
      expect(got.test, name).toBe(test);
      const [key, relative] = KEYS[test]!;
      close(got.score, c.expected[key] as number, relative, `${name} ${test}`);
    }
  });
});
