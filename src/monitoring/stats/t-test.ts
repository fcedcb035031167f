import { invalidParam } from '../../core/index.js';
import type { PValueResult } from './ks.js';
import { checkNumeric } from './samples.js';
import { studentTSf } from './special.js';
import { CompensatedSum } from './compensated-sum.js';

/**
 * `scipy.stats.ttest_ind(reference, current)` as Evidently calls it: Student's t with pooled
 * variance (equal_var=True, scipy's default), two-sided. Where both samples are constant scipy
 * gives t = ±inf (p = 0) for different values and NaN for equal ones; NaN would read as "no drift"
 * silently, so equal constants give p = 1 here (the samples are identical) and the statistic 0.
 */
export function tTest(reference: Float64Array, current: Float64Array): PValueResult {
  checkNumeric('t_test', 'reference', reference);
  checkNumeric('t_test', 'current', current);
  const n1 = reference.length;
  const n2 = current.length;
  const dof = n1 + n2 - 2;
  if (dof < 1) {
    throw invalidParam(
      `t_test: needs at least 3 values over both samples (got ${n1} + ${n2}); the pooled variance is undefined`,
      { statistic: 't_test', reference: n1, current: n2 },
    );
  }
  const m1 = mean(reference);
  const m2 = mean(current);
  const pooled = (sumSquares(reference, m1) + sumSquares(current, m2)) / dof;
  const denominator = Math.sqrt(pooled * (1 / n1 + 1 / n2));
  if (denominator === 0) {
    return m1 === m2
      ? { statistic: 0, pValue: 1 }
      : { statistic: m1 > m2 ? Infinity : -Infinity, pValue: 0 };
  }
  const t = (m1 - m2) / denominator;
  return { statistic: t, pValue: Math.min(1, 2 * studentTSf(Math.abs(t), dof)) };
}

function mean(x: Float64Array): number {
  const s = new CompensatedSum();
  for (const v of x) s.add(v);
  return s.value / x.length;
}

/** Σ (x − mean)², i.e. (n − 1)·var(x, ddof=1). */
function sumSquares(x: Float64Array, m: number): number {
  const s = new CompensatedSum();
  for (const v of x) s.add((v - m) * (v - m));
  return s.value;
}
