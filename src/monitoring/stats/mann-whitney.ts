import type { PValueResult } from './ks.js';
import { checkNumeric, sorted } from './samples.js';
import { normalSf } from './special.js';
import { CompensatedSum } from './compensated-sum.js';
import { forEachTieGroup } from './tie-groups.js';

export type Alternative = 'less' | 'two-sided';

export interface MannWhitneyResult extends PValueResult {
  /** 'exact' when scipy's 'auto' picks the exact null distribution (a side <= 8 values, no ties). */
  method: 'exact' | 'asymptotic';
}

/**
 * `scipy.stats.mannwhitneyu(reference, current, alternative)` with method 'auto' and continuity
 * correction. Evidently's `mannw` uses alternative="less" (one-sided, although its docstring says
 * two-tailed); 'two-sided' is offered for reports. The statistic is U1 (reference's U), as scipy
 * returns it.
 */
export function mannWhitneyU(
  reference: Float64Array,
  current: Float64Array,
  alternative: Alternative = 'less',
): MannWhitneyResult {
  checkNumeric('mannw', 'reference', reference);
  checkNumeric('mannw', 'current', current);
  return mannWhitneyUSorted(sorted(reference), sorted(current), alternative);
}

/** As `mannWhitneyU` for samples already sorted ascending. */
export function mannWhitneyUSorted(
  a: Float64Array,
  b: Float64Array,
  alternative: Alternative = 'less',
): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  const r1 = new CompensatedSum();
  let tieTerm = 0;
  let ties = false;
  forEachTieGroup(a, b, (_v, inA, inB, before) => {
    const t = inA + inB;
    if (t > 1) ties = true;
    tieTerm += t * t * t - t;
    r1.add(inA * (before + (t + 1) / 2));
  });
  const u1 = r1.value - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = alternative === 'less' ? u2 : Math.max(u1, u2);
  const factor = alternative === 'less' ? 1 : 2;
  const exact = !(n1 > 8 && n2 > 8) && !ties;
  let p: number;
  if (exact) {
    p = exactSf(Math.round(u), Math.min(n1, n2), Math.max(n1, n2));
  } else {
    const n = n1 + n2;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const z = (u - (n1 * n2) / 2 - 0.5) / s;
    p = normalSf(z);
  }
  return {
    statistic: u1,
    pValue: Math.min(1, Math.max(0, p * factor)),
    method: exact ? 'exact' : 'asymptotic',
  };
}

/**
 * P(U >= k) under the null without ties (scipy's `_MWU.sf`): by symmetry either the lower CDF at
 * n1·n2 − k, or 1 − CDF(k) + pmf(k). Frequencies come from the generating function of U, the
 * Gaussian binomial ∏_{i<=n1} (1 − q^{n2+i}) / (1 − q^i), truncated at the degree needed: O(n1·k)
 * for the small side n1 <= 8, where scipy's recurrence is quadratic in k.
 */
function exactSf(k: number, n1: number, n2: number): number {
  const kc = n1 * n2 - k;
  const lowerTail = k >= kc;
  const upTo = lowerTail ? kc : k;
  const freq = uFrequencies(n1, n2, Math.max(upTo, 0));
  const total = binomial(n1 + n2, n1);
  let cdf = 0;
  for (let u = 0; u <= upTo; u++) cdf += freq[u]! / total;
  if (lowerTail) return upTo < 0 ? 0 : cdf;
  return 1 - cdf + freq[upTo]! / total;
}

function uFrequencies(n1: number, n2: number, maxU: number): Float64Array {
  const c = new Float64Array(maxU + 1);
  c[0] = 1;
  for (let i = 1; i <= n1; i++) {
    const up = n2 + i;
    for (let u = maxU; u >= up; u--) c[u]! -= c[u - up]!;
    for (let u = i; u <= maxU; u++) c[u]! += c[u - i]!;
  }
  return c;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}
