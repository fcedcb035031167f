import { valueCounts } from './binning.js';
import type { PValueResult } from './ks.js';
import { checkCategorical, checkNumeric } from './samples.js';
import { normalSf } from './special.js';

/**
 * Evidently's `z` test: the pooled two-proportion Z-test, two-sided, on "is not the first sorted
 * category" (its 0/1 coding) in reference vs current. p = 1 when both sides hold the same single
 * value (Evidently's special case; the pooled variance would be 0/0 otherwise, and no other input
 * makes it 0 since the first category always occurs). Evidently computes 2·(1 − Φ(|z|)), which
 * rounds to 0 below ~1e-16; the tail is taken with erfc here, so tiny p-values keep their digits
 * (the drift decision is the same).
 */
export function zTestCategorical(
  reference: readonly string[],
  current: readonly string[],
): PValueResult {
  checkCategorical('z', 'reference', reference);
  checkCategorical('z', 'current', current);
  return fromCounts(valueCounts(reference, current), reference.length, current.length);
}

/** The same on a numerical column (the <= 2 distinct values branch), first = smallest value. */
export function zTestNumerical(reference: Float64Array, current: Float64Array): PValueResult {
  checkNumeric('z', 'reference', reference);
  checkNumeric('z', 'current', current);
  return fromCounts(valueCounts(reference, current), reference.length, current.length);
}

function fromCounts(
  counts: { reference: Float64Array; current: Float64Array },
  n1: number,
  n2: number,
): PValueResult {
  const onlyOneValue = counts.reference.length === 1;
  if (onlyOneValue) return { statistic: 0, pValue: 1 };
  // Shares of rows NOT equal to the first sorted category (Evidently codes that category as 0).
  const p1 = (n1 - counts.reference[0]!) / n1;
  const p2 = (n2 - counts.current[0]!) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic: z, pValue: 2 * normalSf(Math.abs(z)) };
}
