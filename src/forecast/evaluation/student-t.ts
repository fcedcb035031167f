import { regularizedIncompleteBeta } from './incomplete-beta.js';

/**
 * Two-sided p-value P(|T| >= |t|) of Student's t with `df` degrees of freedom:
 * I_{df/(df+t^2)}(df/2, 1/2). Matches scipy 1.17 `2 * stats.t.sf(|t|, df)` to 1e-12 in the tests.
 */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}
