import { invalidParam } from '../../core/index.js';
import type { PValueResult } from './ks.js';
import { checkNumeric, sorted } from './samples.js';
import { besselK, gammaln } from './special.js';
import { CompensatedSum } from './compensated-sum.js';
import { forEachTieGroup } from './tie-groups.js';

export interface CramerVonMisesResult extends PValueResult {
  method: 'exact' | 'asymptotic';
}

/**
 * Evidently's own two-sample Cramér–von Mises test (`cramer_von_mises_stattest.py`, a copy of
 * scipy's `cramervonmises_2samp`): T from the mid-ranks of the pooled sample (Anderson 1962,
 * eq. 9–10); exact p-value when max(n1, n2) <= 20 (Xiao, Gordon & Yakovlev's recursion), else the
 * limiting distribution of the normalized statistic (Csörgő & Faraway, series in K_{1/4}). Each
 * sample needs at least two values, as there.
 */
export function cramerVonMises(
  reference: Float64Array,
  current: Float64Array,
): CramerVonMisesResult {
  checkNumeric('cramer_von_mises', 'reference', reference);
  checkNumeric('cramer_von_mises', 'current', current);
  return cramerVonMisesSorted(sorted(reference), sorted(current));
}

/** As `cramerVonMises` for samples already sorted ascending. */
export function cramerVonMisesSorted(a: Float64Array, b: Float64Array): CramerVonMisesResult {
  const nx = a.length;
  const ny = b.length;
  if (nx <= 1 || ny <= 1) {
    throw invalidParam(
      `cramer_von_mises: each sample needs at least two values (got ${nx} reference, ${ny} current)`,
      { statistic: 'cramer_von_mises', reference: nx, current: ny },
    );
  }
  // U = nx Σ (r_i − i)² + ny Σ (s_j − j)², r, s the mid-ranks of the sorted samples in the pool.
  const sx = new CompensatedSum();
  const sy = new CompensatedSum();
  let ix = 0;
  let iy = 0;
  forEachTieGroup(a, b, (_v, inA, inB, before) => {
    const rank = before + (inA + inB + 1) / 2;
    for (let c = 0; c < inA; c++) sx.add((rank - ++ix) ** 2);
    for (let c = 0; c < inB; c++) sy.add((rank - ++iy) ** 2);
  });
  const u = nx * sx.value + ny * sy.value;
  const k = nx * ny;
  const N = nx + ny;
  const t = u / (k * N) - (4 * k - 1) / (6 * N);
  if (Math.max(nx, ny) <= 20) {
    return { statistic: t, pValue: exactPValue(u, nx, ny), method: 'exact' };
  }
  const et = (1 + 1 / N) / 6;
  let vt = (N + 1) * (4 * k * N - 3 * (nx ** 2 + ny ** 2) - 2 * k);
  vt = vt / (45 * N ** 2 * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  // Below 0.003 the limiting CDF is < 1.3e-18: p is 1 (Evidently's shortcut).
  const pValue = tn < 0.003 ? 1 : Math.max(0, 1 - cdfCvmInf(tn));
  return { statistic: t, pValue, method: 'asymptotic' };
}

/**
 * CDF of the limiting (one-sample) Cramér–von Mises distribution, Csörgő & Faraway (1996) eq. 1.2,
 * adding terms until one is below 1e-7 exactly as Evidently/scipy do (so the p-value 1 − cdf
 * follows theirs term for term).
 */
export function cdfCvmInf(x: number): number {
  let total = 0;
  for (let k = 0; ; k++) {
    const u = Math.exp(gammaln(k + 0.5) - gammaln(k + 1)) / (Math.PI ** 1.5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const term = u * Math.sqrt(y) * Math.exp(-q) * besselK(0.25, q);
    total += term;
    if (!(Math.abs(term) >= 1e-7)) return total;
  }
}

/**
 * Exact P(U >= u) for sample sizes m, n (Evidently's `_pval_cvm_2samp_exact`): the frequency
 * table of g⁺_{u,v} built column by column (Xiao et al. 2006, Algorithm 1), counted at or above
 * the threshold ζ that corresponds to U.
 */
function exactPValue(s: number, m: number, n: number): number {
  const lcm = (m * n) / gcd(m, n);
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  // Python's floor division of (possibly fractional) floats; the operands are exact here.
  const num = lcm ** 2 * (m + n) * (6 * s - mn * (4 * mn - 1));
  const den = 6 * mn ** 2;
  const zeta = (num - (((num % den) + den) % den)) / den;
  let gs: Map<number, number>[] = [new Map([[0, 1]])];
  for (let v = 0; v < m; v++) gs.push(new Map());
  for (let uu = 0; uu <= n; uu++) {
    const next: Map<number, number>[] = [];
    let tmp = new Map<number, number>();
    for (let v = 0; v < gs.length; v++) {
      const merged = new Map(tmp);
      for (const [value, freq] of gs[v]!) merged.set(value, (merged.get(value) ?? 0) + freq);
      const shift = (a * v - b * uu) ** 2;
      tmp = new Map();
      for (const [value, freq] of merged) tmp.set(value + shift, freq);
      next.push(tmp);
    }
    gs = next;
  }
  let count = 0;
  for (const [value, freq] of gs[m]!) if (value >= zeta) count += freq;
  return count / combinations(m + n, n);
}

/** (m+n)! / (m! n!) as Evidently computes it (float ratio of factorials). */
function combinations(total: number, n: number): number {
  let r = 1;
  for (let i = 1; i <= n; i++) r = (r * (total - n + i)) / i;
  return r;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
