import { invalidParam } from '../../core/index.js';
import type { PValueResult } from './ks.js';
import { checkNumeric, sorted } from './samples.js';
import { CompensatedSum } from './compensated-sum.js';
import { forEachTieGroup } from './tie-groups.js';

/** Scholz & Stephens' Table 2 interpolation coefficients and levels (scipy's b0, b1, b2, sig). */
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
const SIG = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];

export interface AndersonResult extends PValueResult {
  /** scipy's `critical_values` for the levels 25%, 10%, 5%, 2.5%, 1%, 0.5%, 0.1%. */
  criticalValues: number[];
}

/**
 * `scipy.stats.anderson_ksamp([reference, current])` as Evidently calls it (scipy 1.17's default
 * variant 'midrank', Scholz & Stephens' A2akN): the normalized statistic, and the significance
 * level interpolated from the critical values — a quadratic fit of log(level) on the critical
 * values (numpy polyfit) — capped to [0.001, 0.25]. Needs two distinct values, as scipy does.
 */
export function andersonKSample(reference: Float64Array, current: Float64Array): AndersonResult {
  checkNumeric('anderson', 'reference', reference);
  checkNumeric('anderson', 'current', current);
  return andersonKSampleSorted(sorted(reference), sorted(current));
}

/** As `andersonKSample` for samples already sorted ascending. */
export function andersonKSampleSorted(a: Float64Array, b: Float64Array): AndersonResult {
  const n1 = a.length;
  const n2 = b.length;
  const N = n1 + n2;
  const k = 2;
  const sum1 = new CompensatedSum();
  const sum2 = new CompensatedSum();
  let distinct = 0;
  // Cumulative counts of each sample up to (and including) the current group.
  let c1 = 0;
  let c2 = 0;
  forEachTieGroup(a, b, (_v, inA, inB, before) => {
    distinct++;
    const lj = inA + inB;
    const Bj = before + lj / 2;
    c1 += inA;
    c2 += inB;
    const M1 = c1 - inA / 2;
    const M2 = c2 - inB / 2;
    const denom = Bj * (N - Bj) - (N * lj) / 4;
    sum1.add(((lj / N) * (N * M1 - Bj * n1) ** 2) / denom);
    sum2.add(((lj / N) * (N * M2 - Bj * n2) ** 2) / denom);
  });
  if (distinct < 2) {
    throw invalidParam(
      'anderson: both samples hold one and the same value; the test needs at least two distinct values',
      { statistic: 'anderson' },
    );
  }
  if (N < 4) {
    throw invalidParam(`anderson: needs at least 4 values over both samples (got ${N})`, {
      statistic: 'anderson',
    });
  }
  const A2kN = ((sum1.value / n1 + sum2.value / n2) * (N - 1)) / N;

  const H = 1 / n1 + 1 / n2;
  // hs_cs = cumsum(1 / [N-1, N-2, ..., 2]); h = its last + 1; g = Σ hs_cs[t] / (t + 2).
  let hs = 0;
  const g = new CompensatedSum();
  for (let t = 0; t < N - 2; t++) {
    hs += 1 / (N - 1 - t);
    g.add(hs / (t + 2));
  }
  const h = hs + 1;
  const gv = g.value;
  const A = (4 * gv - 6) * (k - 1) + (10 - 6 * gv) * H;
  const B = (2 * gv - 4) * k ** 2 + 8 * h * k + (2 * gv - 14 * h - 4) * H - 8 * h + 4 * gv - 6;
  const C = (6 * h + 2 * gv - 2) * k ** 2 + (4 * h - 4 * gv + 6) * k + (2 * h - 6) * H + 4 * h;
  const D = (2 * h + 6) * k ** 2 - 4 * h * k;
  const sigmaSq = (A * N ** 3 + B * N ** 2 + C * N + D) / ((N - 1) * (N - 2) * (N - 3));
  const m = k - 1;
  const statistic = (A2kN - m) / Math.sqrt(sigmaSq);
  const critical = B0.map((b0, i) => b0 + B1[i]! / Math.sqrt(m) + B2[i]! / m);
  return { statistic, pValue: significance(statistic, critical), criticalValues: critical };
}

function significance(a2: number, critical: number[]): number {
  if (a2 < Math.min(...critical)) return Math.max(...SIG);
  if (a2 > Math.max(...critical)) return Math.min(...SIG);
  const [c2, c1, c0] = polyfit2(
    critical,
    SIG.map((s) => Math.log(s)),
  );
  return Math.exp((c2 * a2 + c1) * a2 + c0);
}

/**
 * numpy `polyfit(x, y, 2)`: least squares on the Vandermonde columns (x², x, 1), each scaled to
 * unit norm as numpy does, solved here by Householder QR (numpy uses an SVD; both are backward
 * stable, and the fit is well conditioned). Coefficients highest power first.
 */
function polyfit2(x: number[], y: number[]): [number, number, number] {
  const rows = x.length;
  const cols = 3;
  const A = x.map((v) => [v * v, v, 1]);
  const scale = [0, 1, 2].map((c) => Math.sqrt(A.reduce((s, r) => s + r[c]! ** 2, 0)));
  for (const r of A) for (let c = 0; c < cols; c++) r[c]! /= scale[c]!;
  const rhs = [...y];
  for (let c = 0; c < cols; c++) {
    let norm = 0;
    for (let r = c; r < rows; r++) norm += A[r]![c]! ** 2;
    norm = Math.sqrt(norm);
    const alpha = A[c]![c]! > 0 ? -norm : norm;
    const v = new Array<number>(rows).fill(0);
    for (let r = c; r < rows; r++) v[r] = A[r]![c]!;
    v[c]! -= alpha;
    const vv = v.reduce((s, e) => s + e * e, 0);
    if (vv === 0) continue;
    for (let cc = c; cc < cols; cc++) {
      let dot = 0;
      for (let r = c; r < rows; r++) dot += v[r]! * A[r]![cc]!;
      for (let r = c; r < rows; r++) A[r]![cc]! -= (2 * dot * v[r]!) / vv;
    }
    let dot = 0;
    for (let r = c; r < rows; r++) dot += v[r]! * rhs[r]!;
    for (let r = c; r < rows; r++) rhs[r]! -= (2 * dot * v[r]!) / vv;
  }
  const coef = [0, 0, 0];
  for (let c = cols - 1; c >= 0; c--) {
    let s = rhs[c]!;
    for (let cc = c + 1; cc < cols; cc++) s -= A[c]![cc]! * coef[cc]!;
    coef[c] = s / A[c]![c]!;
  }
  return [coef[0]! / scale[0]!, coef[1]! / scale[1]!, coef[2]! / scale[2]!];
}
