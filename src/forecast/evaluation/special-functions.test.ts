import { describe, expect, it } from 'vitest';
import { logGamma } from './log-gamma.js';
import { erfc, normalCdf } from './normal-cdf.js';
import { studentTTwoSidedP } from './student-t.js';

/** Relative closeness, for values spanning many orders of magnitude. */
function expectRel(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    tol * Math.max(Math.abs(expected), 1e-300),
  );
}

// Reference values printed by scipy 1.17.1 (scipy.special.erfc / gammaln, scipy.stats.norm.cdf,
// 2 * scipy.stats.t.sf(|t|, df)) on this machine.
describe('erfc and normalCdf', () => {
  const erfcCases: [number, number][] = [
    [0, 1],
    [0.1, 0.8875370839817152],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028516],
    [1.5, 0.03389485352468927],
    [1.999, 0.0046984433486294865],
    [2, 0.004677734981047266],
    [2.5, 0.00040695201744495886],
    [3, 2.2090496998585445e-5],
    [5, 1.5374597944280347e-12],
    [8, 1.1224297172982928e-29],
    [-1, 1.8427007929497148],
    [-3, 1.9999779095030015],
  ];
  it.each(erfcCases)('erfc(%d) matches scipy', (x, expected) => {
    expectRel(erfc(x), expected, 1e-13);
  });

  it.each([
    [-5, 2.866515718791933e-7],
    [-1.96, 0.024997895148220435],
    [0, 0.5],
    [1, 0.8413447460685429],
    [1.959963984540054, 0.975],
    [3, 0.9986501019683699],
  ])('normalCdf(%d) matches scipy', (z, expected) => {
    expectRel(normalCdf(z), expected, 1e-13);
  });
});

describe('logGamma', () => {
  it.each([
    [0.1, 2.252712651734206],
    [0.5, 0.5723649429247],
    [3.7, 1.428072326665388],
    [10, 12.801827480081469],
    [100, 359.1342053695754],
  ])('logGamma(%d) matches scipy gammaln', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 12);
  });
});

describe('studentTTwoSidedP', () => {
  it.each([
    [2.0, 10, 0.07338803477074037],
    [0.5, 3, 0.651447964848151],
    [3.2, 251, 0.0015512494500701502],
    [-1.1, 7, 0.30771625509408934],
    [4, 1000, 6.800991920878163e-5],
    [0.01, 50, 0.992061081367143],
  ])('t=%d, df=%d matches scipy', (t, df, expected) => {
    expectRel(studentTTwoSidedP(t, df), expected, 1e-10);
  });

  it('matches the closed forms for 1 and 2 degrees of freedom', () => {
    // df = 1 is the Cauchy distribution; df = 2 has P(|T| >= t) = 1 - t / sqrt(2 + t^2).
    expectRel(studentTTwoSidedP(2.5, 1), 1 - (2 / Math.PI) * Math.atan(2.5), 1e-12);
    expectRel(studentTTwoSidedP(1.3, 2), 1 - 1.3 / Math.sqrt(2 + 1.3 * 1.3), 1e-12);
  });

  it('is 1 at t = 0 and NaN for bad degrees of freedom', () => {
    expect(studentTTwoSidedP(0, 5)).toBe(1);
    expect(studentTTwoSidedP(1, 0)).toBeNaN();
  });
});
