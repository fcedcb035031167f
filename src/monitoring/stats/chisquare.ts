import { valueCounts } from './binning.js';
import type { PValueResult } from './ks.js';
import { checkCategorical, checkNumeric } from './samples.js';
import { chi2Sf } from './special.js';

/**
 * Evidently's chisquare test: counts over the union of categories, expected = reference counts ×
 * n_current / n_reference, then `scipy.stats.chisquare(observed, expected)` (p = chi2.sf with
 * k − 1 degrees of freedom). A category seen only in current has expected 0, so the statistic is
 * +inf and p = 0, as in scipy. With a single category on both sides scipy's p is NaN (0 degrees of
 * freedom), which Evidently reads as "no drift"; here it is 1 (the samples are identical).
 */
export function chiSquareCategorical(
  reference: readonly string[],
  current: readonly string[],
): PValueResult {
  checkCategorical('chisquare', 'reference', reference);
  checkCategorical('chisquare', 'current', current);
  return fromCounts(valueCounts(reference, current), reference.length, current.length);
}

/** The same on a numerical column, one category per distinct value (the 3–5 distinct branch). */
export function chiSquareNumerical(reference: Float64Array, current: Float64Array): PValueResult {
  checkNumeric('chisquare', 'reference', reference);
  checkNumeric('chisquare', 'current', current);
  return fromCounts(valueCounts(reference, current), reference.length, current.length);
}

function fromCounts(
  counts: { reference: Float64Array; current: Float64Array },
  nRef: number,
  nCur: number,
): PValueResult {
  const k = counts.reference.length;
  if (k < 2) return { statistic: 0, pValue: 1 };
  const norm = nCur / nRef;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const expected = counts.reference[i]! * norm;
    const diff = counts.current[i]! - expected;
    statistic += (diff * diff) / expected;
  }
  return { statistic, pValue: chi2Sf(statistic, k - 1) };
}
