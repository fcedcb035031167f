import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  binNumerical,
  energyDistanceTest,
  hellingerCategoricalTest,
  hellingerTest,
  jensenShannonCategoricalTest,
  jensenShannonTest,
  klDivTest,
  psiTest,
  sturgesEdges,
  wassersteinTest,
} from '../../src/monitoring/index.js';

/**
 * The closed-form drift statistics against scipy's values in the shared test vectors
 * (drift-stats.json, generated with scipy/numpy; its `notes` say how). The product does not need
 * the shared folder, so without it the suite is skipped with a message.
 */
const CANDIDATES = [
  join(import.meta.dirname, '../../../shared/testvectors/drift-stats.json'),
  '/work/shared/testvectors/drift-stats.json',
];
const file = CANDIDATES.find((p) => existsSync(p));

interface VectorCase {
  name: string;
  kind: 'numerical' | 'categorical';
  reference: (number | string)[];
  current: (number | string)[];
  expected: Record<string, number | number[] | string[] | null>;
}

const cases: VectorCase[] = file
  ? (JSON.parse(readFileSync(file, 'utf8')) as { cases: VectorCase[] }).cases
  : [];

/** Relative 1e-9, with an absolute floor so values near zero are not held to the impossible. */
function expectClose(actual: number, expected: number, what: string): void {
  const tolerance = Math.max(1e-9 * Math.abs(expected), 1e-12);
  expect(Math.abs(actual - expected), `${what}: got ${actual}, expected ${expected}`).toBeLessThan(
    tolerance,
  );
}

const numeric = cases.filter((c) => c.kind === 'numerical');
const categorical = cases.filter((c) => c.kind === 'categorical');
const f64 = (xs: (number | string)[]) => Float64Array.from(xs as number[]);

/**
 * The vectors' samples are stored rounded to 6 decimals, but their expected values were computed
 * on the unrounded draws. Binned statistics (psi, kl_div, jensenshannon) are insensitive to that
 * and are held to 1e-9 against the file. The CDF distances and the Sturges edges move by ~1e-7,
 * so against the file they get a tolerance the rounding explains (1e-6), and are held to 1e-9
 * against scipy 1.17.1 / numpy 2.4.6 re-run on the samples exactly as stored (pinned below:
 * `stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)` and `stats.energy_distance(r, c)`).
 */
const BINNED_TESTS = { psi: psiTest, kl_div: klDivTest, jensenshannon: jensenShannonTest } as const;
const CDF_TESTS = { wasserstein_normed: wassersteinTest, energy_distance: energyDistanceTest };
const ROUNDING_TOLERANCE = 1e-6;
const SCIPY_ON_STORED: Record<string, { wasserstein_normed: number; energy_distance: number }> = {
  normal_same_small: {
    wasserstein_normed: 0.2900107820552154,
    energy_distance: 0.22668258645074615,
  },
  normal_shift_small: {
    wasserstein_normed: 0.8935233799752642,
    energy_distance: 0.6289421010688612,
  },
  normal_same_mid: { wasserstein_normed: 0.08776498020698272, energy_distance: 0.089167971688702 },
  normal_shift_large: {
    wasserstein_normed: 0.3136903524135065,
    energy_distance: 0.23711160706704137,
  },
  scale_change_large: {
    wasserstein_normed: 0.3978075444226257,
    energy_distance: 0.23478999453696203,
  },
  lognormal_prices: { wasserstein_normed: 0.6145167723261843, energy_distance: 1.7409212600734638 },
  integers_with_ties: {
    wasserstein_normed: 0.31039007087148984,
    energy_distance: 0.3706144924862172,
  },
  constant_reference: {
    wasserstein_normed: 779.2000000000002,
    energy_distance: 0.6823470658119828,
  },
};

describe.skipIf(!file)('drift statistics match scipy vectors', () => {
  it('has cases of both kinds', () => {
    expect(numeric.length).toBeGreaterThan(0);
    expect(categorical.length).toBeGreaterThan(0);
  });

  for (const [key, test] of Object.entries(BINNED_TESTS)) {
    const withKey = numeric.filter((c) => typeof c.expected[key] === 'number');
    it.each(withKey.map((c) => [c.name, c] as const))(`${key}: %s`, (_name, c) => {
      const result = test.run(f64(c.reference), f64(c.current));
      expectClose(result.statistic, c.expected[key] as number, `${key} ${c.name}`);
      expect(result.threshold).toBe(test.defaultThreshold);
      expect(result.drifted).toBe(result.statistic >= test.defaultThreshold);
    });
  }

  for (const [key, test] of Object.entries(CDF_TESTS)) {
    const withKey = numeric.filter((c) => typeof c.expected[key] === 'number');
    it.each(withKey.map((c) => [c.name, c] as const))(`${key}: %s`, (_name, c) => {
      const { statistic } = test.run(f64(c.reference), f64(c.current));
      const fromFile = c.expected[key] as number;
      expect(Math.abs(statistic / fromFile - 1)).toBeLessThan(ROUNDING_TOLERANCE);
      const pinned = SCIPY_ON_STORED[c.name]?.[key as keyof typeof CDF_TESTS];
      if (pinned !== undefined) expectClose(statistic, pinned, `${key} ${c.name} (stored samples)`);
    });
  }

  const withEdges = numeric.filter((c) => c.expected['sturges_bin_edges'] !== undefined);
  it.each(withEdges.map((c) => [c.name, c] as const))('binning path and edges: %s', (_n, c) => {
    const expected = c.expected['sturges_bin_edges'] as number[] | null;
    const binned = binNumerical(f64(c.reference), f64(c.current));
    if (expected === null) {
      // The vectors say: 20 or fewer distinct reference values -> one bin per distinct value.
      expect(binned.edges).toBeNull();
      return;
    }
    const edges = sturgesEdges(f64([...c.reference, ...c.current]));
    expect(binned.edges).toEqual(edges);
    expect(edges.length).toBe(expected.length);
    // Absolute: the 6-decimal rounding moves min and max (hence every edge) by up to 5e-7.
    expected.forEach((e, i) => expect(Math.abs(edges[i]! - e)).toBeLessThan(ROUNDING_TOLERANCE));
  });

  // Hellinger is not in the vectors: these are Evidently's `_hellinger_distance` code re-run in
  // numpy 2.4.6 on the stored samples (a cross-check; hand-computed cases are in the unit tests).
  const HELLINGER: Record<string, number> = {
    normal_same_small: 0.2067845690728629,
    normal_shift_small: 0.4552055234091071,
    normal_same_mid: 0.05933764986421966,
    normal_shift_large: 0.11138102502869134,
    scale_change_large: 0.20044882806708625,
    lognormal_prices: 0.18876553128736615,
    integers_with_ties: 0.12971543096697033,
    constant_reference: 0.6907873010471912,
    categorical_same: 0.0224057722879044,
    categorical_shift: 0.18682092476454973,
    binary_shift: 0.14529790762520262,
  };
  const withHellinger = cases.filter((c) => HELLINGER[c.name] !== undefined);
  it.each(withHellinger.map((c) => [c.name, c] as const))('hellinger: %s', (_n, c) => {
    const { statistic } =
      c.kind === 'numerical'
        ? hellingerTest.run(f64(c.reference), f64(c.current))
        : hellingerCategoricalTest.run(c.reference as string[], c.current as string[]);
    expectClose(statistic, HELLINGER[c.name]!, `hellinger ${c.name}`);
  });

  const withJs = categorical.filter((c) => typeof c.expected['jensenshannon'] === 'number');
  it.each(withJs.map((c) => [c.name, c] as const))('categorical jensenshannon: %s', (_n, c) => {
    const result = jensenShannonCategoricalTest.run(c.reference as string[], c.current as string[]);
    expectClose(result.statistic, c.expected['jensenshannon'] as number, `js ${c.name}`);
  });
});

if (!file) {
  describe('drift statistics match scipy vectors', () => {
    it.skip(`skipped: drift-stats.json not found (looked in ${CANDIDATES.join(', ')})`, () => {});
  });
}
