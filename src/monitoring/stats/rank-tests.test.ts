import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { andersonKSample } from './anderson.js';
import { cdfCvmInf, cramerVonMises } from './cramer-von-mises.js';
import { mannWhitneyU } from './mann-whitney.js';
import { besselK, normalSf } from './special.js';
import { f64, subsets } from './rank-splits-fixture.js';

/** Anderson (1962) U of a split of ranks 1..N into `first` (size m) and the rest (size n). */
function cvmU(first: number[], N: number): number {
  const m = first.length;
  const n = N - m;
  const inFirst = new Set(first);
  const second = Array.from({ length: N }, (_, i) => i + 1).filter((r) => !inFirst.has(r));
  const sx = first.reduce((s, r, i) => s + (r - (i + 1)) ** 2, 0);
  const sy = second.reduce((s, r, j) => s + (r - (j + 1)) ** 2, 0);
  return m * sx + n * sy;
}

describe('cramer_von_mises', () => {
  it('exact p-value (max n <= 20) equals the share of all splits with U >= U_obs', () => {
    for (const [ref, cur] of [
      [f64(1, 4, 6), f64(2, 3, 5, 7)],
      [f64(0.5, 0.7, 3, 4.5, 6), f64(1, 2, 2.5, 5, 8)],
      [f64(10, 11, 12), f64(1, 2, 3, 4, 5)],
    ] as const) {
      const m = ref.length;
      const N = m + cur.length;
      const pooled = [...ref, ...cur].sort((a, b) => a - b);
      const obs = cvmU(
        [...ref].map((v) => pooled.indexOf(v) + 1).sort((a, b) => a - b),
        N,
      );
      let hits = 0;
      let total = 0;
      for (const s of subsets(N, m)) {
        total++;
        if (cvmU(s, N) >= obs - 1e-9) hits++;
      }
      const r = cramerVonMises(ref, cur);
      expect(r.method).toBe('exact');
      expect(r.pValue).toBeCloseTo(hits / total, 14);
      // T = U / (mn N) − (4mn − 1) / (6N)
      const mn = m * cur.length;
      expect(r.statistic).toBeCloseTo(obs / (mn * N) - (4 * mn - 1) / (6 * N), 14);
    }
  });

  it('asymptotic p-value (max n > 20) matches scipy cramervonmises_2samp', () => {
    const ref = Float64Array.from({ length: 25 }, (_, i) => i + 1);
    const r = cramerVonMises(ref, f64(1.5, 3.5, 30, 31, 32));
    expect(r.method).toBe('asymptotic');
    expect(r.statistic).toBeCloseTo(0.34111111111111114, 14);
    expect(Math.abs(r.pValue / 0.10049234117526007 - 1)).toBeLessThan(1e-9);
  });

  it('the limiting CDF hits the classic 5% and 1% critical values', () => {
    // scipy's _cdf_cvm_inf at 0.46136 and 0.74346.
    expect(cdfCvmInf(0.46136)).toBeCloseTo(0.9499996168673471, 13);
    expect(cdfCvmInf(0.74346)).toBeCloseTo(0.9900000380845428, 13);
    expect(cdfCvmInf(0.1)).toBeCloseTo(0.4151265615932029, 13);
  });

  it('needs two values per side', () => {
    expect(() => cramerVonMises(f64(1), f64(1, 2))).toThrow(
      /cramer_von_mises: each sample needs at least two values/,
    );
    expect(() => cramerVonMises(f64(1, NaN), f64(1, 2))).toThrow(MlopsError);
  });
});

describe('besselK', () => {
  it('K_1/2 has the closed form sqrt(pi / 2x) e^-x', () => {
    for (const x of [1e-3, 0.1, 1, 5, 50, 600]) {
      const exact = Math.sqrt(Math.PI / (2 * x)) * Math.exp(-x);
      expect(Math.abs(besselK(0.5, x) / exact - 1)).toBeLessThan(1e-13);
    }
  });

  it('K_1/4 matches scipy.special.kv', () => {
    const known: [number, number][] = [
      [0.01, 6.165741264139234],
      [0.5, 0.9603163249318826],
      [3, 0.03505705608941313],
      [40, 8.399340675998916e-19],
    ];
    for (const [x, k] of known) expect(Math.abs(besselK(0.25, x) / k - 1)).toBeLessThan(1e-13);
  });
});

describe('mannw', () => {
  it('exact (a side <= 8, no ties) equals enumeration of all rank splits', () => {
    const ref = f64(1.2, 3.4, 0.5);
    const cur = f64(2, 4, 5, 0.1);
    const pooled = [...ref, ...cur].sort((a, b) => a - b);
    const u1 = (ranks: number[]) => ranks.reduce((s, r) => s + r, 0) - (3 * 4) / 2;
    const obsU1 = u1([...ref].map((v) => pooled.indexOf(v) + 1));
    const all = [...subsets(7, 3)].map(u1);
    // "less": P(U2 >= U2_obs) = P(U1 <= U1_obs).
    const less = all.filter((u) => u <= obsU1).length / all.length;
    const r = mannWhitneyU(ref, cur);
    expect(r.method).toBe('exact');
    expect(r.statistic).toBe(obsU1);
    expect(r.pValue).toBeCloseTo(less, 14);
    const extreme = Math.max(obsU1, 12 - obsU1);
    const two = all.filter((u) => u >= extreme || u <= 12 - extreme).length / all.length;
    expect(mannWhitneyU(ref, cur, 'two-sided').pValue).toBeCloseTo(Math.min(1, two), 14);
  });

  it('ties: normal approximation with tie and continuity corrections', () => {
    // Pooled mid-ranks: 1 | 2,2,2 -> 3 | 3,3,3 -> 6 | 4 -> 8 | 5 -> 9. Reference ranks 1,3,3,6.
    const r = mannWhitneyU(f64(1, 2, 2, 3), f64(2, 3, 3, 4, 5));
    expect(r.method).toBe('asymptotic');
    expect(r.statistic).toBe(3); // R1 = 13, U1 = 13 − 4·5/2
    const s = Math.sqrt((20 / 12) * (10 - 48 / (9 * 8)));
    expect(r.pValue).toBeCloseTo(normalSf((17 - 10 - 0.5) / s), 15);
    expect(r.pValue).toBeCloseTo(0.04967112392673264, 14); // scipy
  });

  it('rejects empty samples', () => {
    expect(() => mannWhitneyU(f64(), f64(1))).toThrow(/mannw: the reference sample is empty/);
  });
});

describe('anderson', () => {
  it('matches scipy anderson_ksamp (midrank) without and with ties', () => {
    const a = andersonKSample(f64(1, 2, 3, 4, 5, 6, 7), f64(2.5, 3.5, 8, 9, 10, 11));
    expect(a.statistic).toBeCloseTo(1.6022506165642572, 13);
    expect(Math.abs(a.pValue / 0.07090008561510655 - 1)).toBeLessThan(1e-9);
    const b = andersonKSample(f64(1, 2, 2, 3, 4, 5, 6, 7), f64(2, 2.5, 3.5, 5, 5, 8));
    expect(b.statistic).toBeCloseTo(-0.8554948322401178, 13);
    expect(b.pValue).toBe(0.25); // capped above
  });

  it('floors the significance level at 0.001', () => {
    const r = andersonKSample(
      Float64Array.from({ length: 50 }, (_, i) => i),
      Float64Array.from({ length: 50 }, (_, i) => i + 100),
    );
    expect(r.pValue).toBe(0.001);
  });

  it('refuses a column with a single value on both sides', () => {
    expect(() => andersonKSample(f64(2, 2, 2), f64(2, 2))).toThrow(
      /anderson: both samples hold one and the same value/,
    );
  });
});
