import { invalidParam } from '../../core/index.js';
import { kolmogorovSf } from './kolmogorov.js';
import { checkNumeric, sorted } from './samples.js';

/** A p-value test's outcome: its own statistic and the p-value Evidently reports as the score. */
export interface PValueResult {
  statistic: number;
  pValue: number;
}

export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult extends PValueResult {
  /** The method that produced the p-value ('exact' falls back to 'asymp' as scipy does). */
  method: 'exact' | 'asymp';
}

/** scipy's MAX_AUTO_N: 'auto' is exact when both samples have at most this many values. */
const MAX_AUTO_N = 10000;

/**
 * `scipy.stats.ks_2samp(reference, current)` (two-sided, method 'auto'): D from the empirical
 * CDFs evaluated at every value of the pooled data (searchsorted 'right', which handles ties),
 * exact p-value when max(n1, n2) <= 10000, otherwise `kstwo.sf(D, round(n1·n2/(n1+n2)))`.
 */
export function ksTwoSample(
  reference: Float64Array,
  current: Float64Array,
  method: KsMethod = 'auto',
): KsResult {
  checkNumeric('ks', 'reference', reference);
  checkNumeric('ks', 'current', current);
  return ksTwoSampleSorted(sorted(reference), sorted(current), method);
}

/** As `ksTwoSample`, for samples already sorted ascending (a cached reference, say). */
export function ksTwoSampleSorted(
  a: Float64Array,
  b: Float64Array,
  method: KsMethod = 'auto',
): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) {
    throw invalidParam('ks: a sample is empty; expected at least one value on each side', {
      statistic: 'ks',
    });
  }
  const d = ksStatisticSorted(a, b);
  const g = gcd(n1, n2);
  let mode: 'exact' | 'asymp' =
    method === 'asymp' || (method === 'auto' && Math.max(n1, n2) > MAX_AUTO_N) ? 'asymp' : 'exact';
  // scipy switches explicit 'exact' to 'asymp' when lcm(n1, n2) would overflow an int32.
  if (method === 'exact' && n1 / g >= 2147483647 / (n2 / g)) mode = 'asymp';
  let statistic = d;
  if (mode === 'exact') {
    const exact = attemptExact(n1, n2, g, d);
    // scipy keeps the D rounded to h/lcm even when it falls back to the asymptotic p-value.
    statistic = exact.d;
    if (exact.p !== null) return { statistic, pValue: exact.p, method: 'exact' };
  }
  // round(), not floor: scipy passes np.round(en) as kstwo's n.
  const en = (n1 * n2) / (n1 + n2);
  const p = kolmogorovSf(roundHalfEven(en), statistic);
  return { statistic, pValue: Math.min(1, Math.max(0, p)), method: 'asymp' };
}

/** Two-sided D = max |F1 − F2| over the pooled values, computed as numpy does (i/n1 − j/n2). */
export function ksStatisticSorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  while (i < n1 || j < n2) {
    // The next pooled value; advance both sides past it (searchsorted 'right').
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const minD = Math.min(1, Math.max(0, -minS));
  return minD > maxS ? minD : maxS;
}

/**
 * scipy's `_attempt_exact_2kssamp` (two-sided): round D to h/lcm(n1, n2), then the probability
 * that a lattice path leaves the band |x/n1 − y/n2| < h/lcm. p is null where scipy falls back to
 * the asymptotic distribution (a result outside [0, 1] or not finite).
 */
function attemptExact(
  n1: number,
  n2: number,
  g: number,
  d: number,
): { d: number; p: number | null } {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dRounded = h / lcm;
  if (h === 0) return { d: dRounded, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  return { d: dRounded, p: Number.isFinite(p) && p >= 0 && p <= 1 ? p : null };
}

/** Pr(D_{n,n} >= h/n) by scipy's Horner-like form of the alternating binomial sum. */
export function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * scipy's `_compute_outer_prob_inside_method` (Hodges' inside method with Viehmann's recursion
 * for 1 − p): the share of lattice paths from (0,0) to (m,n) that do not stay strictly inside
 * |x/m − y/n| < h/lcm(m,n). Only a sliding window of one column is kept.
 */
export function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy's round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
