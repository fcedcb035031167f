import { describe, expect, it } from 'vitest';
import { chiSquareCategorical, chiSquareNumerical } from './chisquare.js';
import { tTest } from './t-test.js';
import { zTestCategorical, zTestNumerical } from './z-test.js';

const f64 = (...xs: number[]) => Float64Array.from(xs);

describe('chisquare', () => {
  // Reference shares 2:2, current 3:1 -> expected [2, 2], statistic 1/2 + 1/2 = 1, 1 dof.
  const ref = ['a', 'a', 'b', 'b'];
  const cur = ['a', 'a', 'a', 'b'];

  it('expected = reference counts × n_cur / n_ref, p = chi2.sf(stat, k − 1)', () => {
    const r = chiSquareCategorical(ref, cur);
    expect(r.statistic).toBeCloseTo(1, 15);
    expect(r.pValue).toBeCloseTo(0.31731050786291415, 14); // erfc(sqrt(1/2))
  });

  it('rescales a reference of another size', () => {
    // expected = [1, 3] × 4/8 ... ref counts a:2 b:6 -> [1, 3]; observed [2, 2]: 1 + 1/3
    const r = chiSquareCategorical(['a', 'a', 'b', 'b', 'b', 'b', 'b', 'b'], ['a', 'a', 'b', 'b']);
    expect(r.statistic).toBeCloseTo(4 / 3, 14);
  });

  it('a category only in current makes p = 0; one shared category makes p = 1', () => {
    expect(chiSquareCategorical(['a', 'a'], ['a', 'c']).pValue).toBe(0);
    expect(chiSquareCategorical(['a', 'a'], ['a'])).toEqual({ statistic: 0, pValue: 1 });
  });

  it('numerical columns count per distinct value', () => {
    expect(chiSquareNumerical(f64(1, 1, 2, 2), f64(1, 1, 1, 2))).toEqual(
      chiSquareCategorical(ref, cur),
    );
  });

  it('rejects empty samples', () => {
    expect(() => chiSquareCategorical([], ['a'])).toThrow(
      /chisquare: the reference sample is empty/,
    );
  });
});

describe('z', () => {
  it('pooled two-proportion test on the first sorted category, two-sided', () => {
    // Not-'a' shares: 0.5 and 0.25; pooled 0.375.
    const z = 0.25 / Math.sqrt(0.375 * 0.625 * (1 / 4 + 1 / 4));
    const r = zTestCategorical(['a', 'a', 'b', 'b'], ['a', 'a', 'a', 'b']);
    expect(r.statistic).toBeCloseTo(z, 14);
    expect(r.pValue).toBeCloseTo(0.4652088184521418, 13); // 2·norm.sf(0.7302967...)
  });

  it('p = 1 when both sides hold the same single value', () => {
    expect(zTestCategorical(['x', 'x'], ['x']).pValue).toBe(1);
    expect(zTestNumerical(f64(3, 3), f64(3)).pValue).toBe(1);
  });

  it('keeps digits far in the tail (erfc, not 1 − cdf)', () => {
    const ref = Array.from({ length: 2000 }, (_, i) => (i % 10 === 0 ? 'a' : 'b'));
    const cur = Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? 'a' : 'b'));
    const p = zTestCategorical(ref, cur).pValue;
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-100);
  });

  it('numerical: first category is the smallest value', () => {
    expect(zTestNumerical(f64(0, 0, 1, 1), f64(0, 0, 0, 1))).toEqual(
      zTestCategorical(['0', '0', '1', '1'], ['0', '0', '0', '1']),
    );
  });
});

describe('t_test', () => {
  it('pooled-variance Student t, two-sided (scipy ttest_ind)', () => {
    // Means 2 and 5, pooled variance 1, t = −3 / sqrt(2/3), 4 dof.
    const r = tTest(f64(1, 2, 3), f64(4, 5, 6));
    expect(r.statistic).toBeCloseTo(-3 / Math.sqrt(2 / 3), 14);
    expect(r.pValue).toBeCloseTo(0.021311641128756713, 14);
  });

  it('constant samples: p = 0 when they differ, 1 when equal', () => {
    expect(tTest(f64(1, 1, 1), f64(2, 2)).pValue).toBe(0);
    expect(tTest(f64(1, 1, 1), f64(1, 1)).pValue).toBe(1);
  });

  it('needs three values in total', () => {
    expect(() => tTest(f64(1), f64(2))).toThrow(/t_test: needs at least 3 values/);
  });
});
