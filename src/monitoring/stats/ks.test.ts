import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { kolmogorovSf } from './kolmogorov.js';
import { ksTwoSample } from './ks.js';
import { f64, subsets } from './rank-splits-fixture.js';

/** D of a split of the ranks 1..n into `first` and the rest (no ties). */
function dOfSplit(first: number[], n: number): number {
  const inFirst = new Set(first);
  const n1 = first.length;
  const n2 = n - n1;
  let c1 = 0;
  let c2 = 0;
  let d = 0;
  for (let r = 1; r <= n; r++) {
    if (inFirst.has(r)) c1++;
    else c2++;
    d = Math.max(d, Math.abs(c1 / n1 - c2 / n2));
  }
  return d;
}

/** The exact two-sided p-value by enumerating every split: P(D >= d) under the null. */
function bruteForceP(n1: number, n2: number, d: number): number {
  let hits = 0;
  let total = 0;
  for (const s of subsets(n1 + n2, n1)) {
    total++;
    if (dOfSplit(s, n1 + n2) >= d - 1e-12) hits++;
  }
  return hits / total;
}

describe('ks exact p-value', () => {
  it('fully separated samples of 3: p = 2 / C(6,3) = 0.1', () => {
    const r = ksTwoSample(f64(1, 2, 3), f64(4, 5, 6));
    expect(r.statistic).toBe(1);
    expect(r.pValue).toBeCloseTo(0.1, 14);
    expect(r.method).toBe('exact');
  });

  it('n1 == n2: matches enumeration of all splits', () => {
    const ref = f64(0.1, 0.5, 0.9, 1.3, 2.2);
    for (const cur of [
      f64(0.2, 0.3, 1.5, 1.7, 2.5),
      f64(1.4, 1.6, 2.3, 2.4, 3),
      f64(0.7, 0.8, 1, 1.1, 1.2),
    ]) {
      const r = ksTwoSample(ref, cur);
      expect(r.pValue).toBeCloseTo(bruteForceP(5, 5, r.statistic), 12);
    }
  });

  it('n1 != n2: matches enumeration of all splits', () => {
    const ref = f64(1, 4, 6, 9);
    for (const cur of [f64(2, 3, 5, 7, 8, 10), f64(5, 7, 8, 10, 11, 12), f64(0, 2, 3, 5, 11, 12)]) {
      const r = ksTwoSample(ref, cur);
      expect(r.pValue).toBeCloseTo(bruteForceP(4, 6, r.statistic), 12);
    }
  });

  it('ties: D from the pooled values, p as if continuous (scipy)', () => {
    // F_ref - F_cur at 1, 2, 3, 4: 0.4, 0.8 - 1/3, 1 - 5/6, 0 -> D = 7/15.
    const r = ksTwoSample(f64(1, 1, 2, 2, 3), f64(2, 2, 3, 3, 3, 4));
    expect(r.statistic).toBeCloseTo(7 / 15, 15);
    expect(r.pValue).toBeCloseTo(bruteForceP(5, 6, 7 / 15), 12);
    // scipy.stats.ks_2samp on the same samples.
    expect(r.pValue).toBeCloseTo(0.474025974025974, 12);
  });

  it('identical samples: D = 0, p = 1', () => {
    const r = ksTwoSample(f64(3, 3, 3), f64(3, 3));
    expect(r).toMatchObject({ statistic: 0, pValue: 1 });
  });
});

describe('kolmogorovSf (kstwo.sf) on every branch, against scipy 1.17', () => {
  const cases: [number, number, number, string][] = [
    [5, 0.5, 0.112, 'x >= 0.5: 2·smirnov'],
    [10, 0.95, 1.9531250000000172e-13, 'n·x >= n − 1'],
    [100, 0.05, 0.9532159710635725, 'n <= 140, Durbin matrix'],
    [100, 0.15, 0.019839242125643017, 'n <= 140, Pomeranz'],
    [100, 0.3, 1.7719869892662917e-8, 'n <= 140, smirnov'],
    [100, 0.6, 5.912822156396238e-35, 'n <= 140, x >= 0.5'],
    [150, 0.1, 0.09292132232164585, 'Pelz–Good'],
    [1000, 0.01, 0.9999496745370611, 'Durbin matrix, large n'],
    [1000, 0.03, 0.3226902143914636, 'Pelz–Good, large n'],
    [20000, 0.004, 0.9048968240702959, 'Pelz–Good'],
    [20000, 0.02, 2.2181270070049744e-7, 'n·x² >= 2.2: smirnov'],
    [100000, 0.003, 0.3284563327726956, 'Durbin/Pelz–Good boundary'],
    [500000, 0.001, 0.6989801443663661, 'Pelz–Good, n > 100000'],
    [20000, 0.0005, 1, 'n·x <= 1'],
  ];
  it.each(cases)('n=%s x=%s -> %s (%s)', (n, x, expected) => {
    expect(Math.abs(kolmogorovSf(n, x) / expected - 1)).toBeLessThan(1e-9);
  });

  it('the asymptotic ks_2samp path uses n = round(n1·n2 / (n1 + n2))', () => {
    const ref = Float64Array.from({ length: 12000 }, (_, i) => i / 12000);
    const cur = Float64Array.from({ length: 3 }, (_, i) => 0.9 + i / 100);
    const r = ksTwoSample(ref, cur);
    expect(r.method).toBe('asymp');
    expect(r.pValue).toBe(kolmogorovSf(3, r.statistic));
  });
});

describe('ks bad input', () => {
  it('rejects an empty side and non-finite values by name', () => {
    expect(() => ksTwoSample(f64(), f64(1))).toThrow(/ks: the reference sample is empty/);
    expect(() => ksTwoSample(f64(1), f64(2, NaN))).toThrow(/ks: current\[1\] is NaN/);
    expect(() => ksTwoSample(f64(1), f64(Infinity))).toThrow(MlopsError);
  });
});
