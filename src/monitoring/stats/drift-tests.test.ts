import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import {
  DRIFT_TESTS,
  driftTest,
  type DriftTest,
  energyDistanceTest,
  hellingerCategoricalTest,
  hellingerTest,
  jensenShannonCategoricalTest,
  klDivCategoricalTest,
  psiCategoricalTest,
  psiTest,
  wassersteinTest,
} from './drift-tests.js';

const f64 = (...xs: number[]) => Float64Array.from(xs);

describe('binned statistics on hand-computed cases', () => {
  // ref shares [0.5, 0.5], current [0.75, 0.25]
  const ref = ['a', 'a', 'b', 'b'];
  const cur = ['a', 'a', 'a', 'b'];

  it('psi = Σ (r - c) ln(r / c)', () => {
    expect(psiCategoricalTest.run(ref, cur).statistic).toBeCloseTo(0.25 * Math.log(3), 14);
  });

  it('kl_div = KL(ref ‖ cur)', () => {
    expect(klDivCategoricalTest.run(ref, cur).statistic).toBeCloseTo(0.5 * Math.log(4 / 3), 14);
  });

  it('jensenshannon is the sqrt of the JS divergence, natural log', () => {
    const m = [0.625, 0.375];
    const jsd =
      0.5 * (0.5 * Math.log(0.5 / m[0]!) + 0.5 * Math.log(0.5 / m[1]!)) +
      0.5 * (0.75 * Math.log(0.75 / m[0]!) + 0.25 * Math.log(0.25 / m[1]!));
    expect(jensenShannonCategoricalTest.run(ref, cur).statistic).toBeCloseTo(Math.sqrt(jsd), 14);
  });

  it('psi zero-fills an empty current bin with 0.0001', () => {
    const expected = (0.5 - 1) * Math.log(0.5) + (0.5 - 0.0001) * Math.log(0.5 / 0.0001);
    expect(psiCategoricalTest.run(['a', 'b'], ['a', 'a']).statistic).toBeCloseTo(expected, 12);
  });

  it('jensenshannon of disjoint supports is sqrt(ln 2), with no zero-filling', () => {
    expect(jensenShannonCategoricalTest.run(['a'], ['b']).statistic).toBeCloseTo(
      Math.sqrt(Math.log(2)),
      14,
    );
  });

  it('is zero for identical constant columns', () => {
    expect(psiTest.run(f64(4, 4, 4), f64(4)).statistic).toBe(0);
    expect(driftTest('jensenshannon', 'numerical').run(f64(4), f64(4, 4)).statistic).toBe(0);
  });
});

describe('hellinger on hand-computed cases', () => {
  it('categorical: 0 for equal shares, 1 for disjoint supports', () => {
    expect(hellingerCategoricalTest.run(['a', 'b'], ['b', 'a']).statistic).toBe(0);
    expect(hellingerCategoricalTest.run(['a'], ['b']).statistic).toBe(1);
  });

  it('categorical: sqrt(1 - Σ sqrt(p q))', () => {
    const bc = Math.sqrt(0.5 * 0.75) + Math.sqrt(0.5 * 0.25);
    const result = hellingerCategoricalTest.run(['a', 'a', 'b', 'b'], ['a', 'a', 'a', 'b']);
    expect(result.statistic).toBeCloseTo(Math.sqrt(1 - bc), 14);
  });

  it('numerical: Sturges bins over the distinct values of the union', () => {
    // Distinct values 0..5 -> edges 0, 1.25, 2.5, 3.75, 5; shares [.5,.25,.25,0] vs [0,.25,.25,.5].
    const result = hellingerTest.run(f64(0, 1, 2, 3), f64(2, 3, 4, 5));
    expect(result.statistic).toBeCloseTo(Math.SQRT1_2, 14);
    expect(result.drifted).toBe(true);
  });
});

describe('CDF distances on hand-computed cases', () => {
  it('wasserstein is normed by the population std of the reference', () => {
    // Shifting [0,1,2,3] by 1 moves every quantile by 1; population std = sqrt(1.25).
    const result = wassersteinTest.run(f64(0, 1, 2, 3), f64(1, 2, 3, 4));
    expect(result.statistic).toBeCloseTo(1 / Math.sqrt(1.25), 14);
  });

  it('wasserstein floors the std at 0.001 for a constant reference', () => {
    expect(wassersteinTest.run(f64(0, 0), f64(1)).statistic).toBeCloseTo(1000, 9);
  });

  it('wasserstein keeps its scale for values whose squares overflow', () => {
    // The same shift as above at 1e300: the normed distance must not collapse to 0 (no drift).
    const scaled = (...xs: number[]) => Float64Array.from(xs, (x) => x * 1e300);
    const result = wassersteinTest.run(scaled(0, 1, 2, 3), scaled(1, 2, 3, 4));
    expect(result.statistic).toBeCloseTo(1 / Math.sqrt(1.25), 12);
    expect(result.drifted).toBe(true);
  });

  it('energy distance of two points one apart is sqrt(2)', () => {
    expect(energyDistanceTest.run(f64(0), f64(1)).statistic).toBeCloseTo(Math.SQRT2, 14);
  });
});

describe('drift decision and thresholds', () => {
  it('distance tests default to 0.1 and drift at or above the threshold', () => {
    for (const test of DRIFT_TESTS.filter((t) => t.scoreKind === 'distance')) {
      expect(test.defaultThreshold).toBe(0.1);
    }
    const result = hellingerCategoricalTest.run(['a'], ['b'], 1);
    expect(result).toEqual({ statistic: 1, threshold: 1, drifted: true });
  });

  it('ed drifts only strictly above the threshold', () => {
    expect(energyDistanceTest.run(f64(0), f64(1), Math.SQRT2).drifted).toBe(false);
    expect(energyDistanceTest.run(f64(0), f64(1), 1.4).drifted).toBe(true);
  });

  it("p-value tests use Evidently's thresholds and comparison", () => {
    const expected: Record<string, [number, 'lt' | 'lte']> = {
      ks: [0.05, 'lte'],
      chisquare: [0.05, 'lt'],
      z: [0.05, 'lt'],
      anderson: [0.1, 'lt'],
      cramer_von_mises: [0.1, 'lte'],
      mannw: [0.05, 'lt'],
      t_test: [0.05, 'lt'],
    };
    const pTests = DRIFT_TESTS.filter((t) => t.scoreKind === 'p_value');
    expect(new Set(pTests.map((t) => t.name))).toEqual(new Set(Object.keys(expected)));
    const ref = f64(1, 2, 3, 4, 5, 6, 7, 8);
    const cur = f64(3.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5);
    for (const test of pTests.filter((t) => t.kind === 'numerical')) {
      const [threshold, direction] = expected[test.name]!;
      expect(test.defaultThreshold, test.name).toBe(threshold);
      const numeric = test as DriftTest<'numerical'>;
      const { statistic: p } = numeric.run(ref, cur);
      // At threshold = p exactly, only the `<=` tests drift.
      expect(numeric.run(ref, cur, p).drifted, test.name).toBe(direction === 'lte');
      const above = Math.max(p * 1.0001, Number.MIN_VALUE);
      expect(numeric.run(ref, cur, above).drifted, test.name).toBe(true);
    }
  });

  it('every test is registered once per kind and says what its score is', () => {
    const keys = DRIFT_TESTS.map((t) => `${t.name}/${t.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const t of DRIFT_TESTS) expect(['p_value', 'distance']).toContain(t.scoreKind);
    expect(driftTest('chisquare', 'numerical').scoreKind).toBe('p_value');
    expect(driftTest('z', 'categorical').scoreKind).toBe('p_value');
    expect(driftTest('wasserstein', 'numerical').scoreKind).toBe('distance');
  });

  it('identical samples do not drift', () => {
    const x = f64(1, 2, 3, 5, 8);
    for (const test of DRIFT_TESTS.filter((t) => t.kind === 'numerical')) {
      expect(test.run(x, x).drifted, test.name).toBe(false);
    }
  });
});

describe('bad input', () => {
  it('names the statistic, side and index of a non-finite value', () => {
    expect(() => wassersteinTest.run(f64(1, NaN), f64(1))).toThrow(
      /wasserstein: reference\[1\] is NaN/,
    );
    expect(() => psiTest.run(f64(1), f64(Infinity))).toThrow(/psi: current\[0\] is Infinity/);
  });

  it('rejects an empty side', () => {
    expect(() => energyDistanceTest.run(f64(1), f64())).toThrow(MlopsError);
    expect(() => hellingerCategoricalTest.run([], ['a'])).toThrow(/reference sample is empty/);
  });

  it('rejects a non-finite threshold', () => {
    expect(() => psiTest.run(f64(1), f64(1), NaN)).toThrow(/threshold is NaN/);
  });

  it('fails loudly instead of a NaN score that would read as no drift', () => {
    // Squares of 1e300 overflow: the pooled variance is inf and t = NaN.
    const huge = f64(1e300, -1e300, 2e300);
    expect(() => driftTest('t_test', 'numerical').run(huge, f64(3e300, -2e300, 1e300))).toThrow(
      /t_test: the score is NaN .*expected a number/,
    );
  });

  it('hellinger says the range of values overflows instead of crashing on the bins', () => {
    expect(() => hellingerTest.run(f64(-1.7e308, 0, 1.7e308), f64(1))).toThrow(MlopsError);
    expect(() => hellingerTest.run(f64(-1.7e308, 0, 1.7e308), f64(1))).toThrow(
      /hellinger: the values span -1\.7e\+308 to 1\.7e\+308, a range wider than the largest double/,
    );
  });

  it('lists the known tests for an unknown name', () => {
    expect(() => driftTest('es', 'numerical')).toThrow(
      /unknown numerical drift test 'es'.*wasserstein/,
    );
    expect(() => driftTest('ks', 'categorical')).toThrow(/unknown categorical drift test 'ks'/);
    expect(driftTest('psi', 'categorical')).toBe(psiCategoricalTest);
  });
});
