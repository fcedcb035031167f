import { checkNumeric, sorted } from './samples.js';
import { cdfDistanceSorted, meanStd } from './sorted-kernels.js';

/**
 * scipy's `_cdf_distance`: integrate |U - V|^p over each gap between consecutive values of the
 * merged sample, with U, V the empirical CDFs. Shared by the Wasserstein and energy distances;
 * the walk itself lives in sorted-kernels.ts so pre-sorted callers skip the sorts.
 */
function cdfDistance(p: 1 | 2, u: Float64Array, v: Float64Array): number {
  return cdfDistanceSorted(p, sorted(u), sorted(v));
}

/** `scipy.stats.wasserstein_distance` (first Wasserstein distance between the two samples). */
export function wassersteinDistance(reference: Float64Array, current: Float64Array): number {
  checkNumeric('wasserstein', 'reference', reference);
  checkNumeric('wasserstein', 'current', current);
  return cdfDistance(1, reference, current);
}

/**
 * Population standard deviation (numpy's default ddof=0); finite even for values whose squares
 * overflow, so a huge-valued reference cannot norm a distance down to a silent 0.
 */
export function populationStd(x: Float64Array): number {
  return meanStd(x).std;
}

/**
 * Evidently's "Wasserstein distance (normed)": the distance in units of the reference's
 * population std, floored at 0.001 so a constant reference does not divide by zero.
 */
export function wassersteinNormed(reference: Float64Array, current: Float64Array): number {
  const distance = wassersteinDistance(reference, current);
  return distance / Math.max(populationStd(reference), 0.001);
}

/** `scipy.stats.energy_distance`: sqrt(2) times the L2 distance between the empirical CDFs. */
export function energyDistance(reference: Float64Array, current: Float64Array): number {
  checkNumeric('ed', 'reference', reference);
  checkNumeric('ed', 'current', current);
  return Math.SQRT2 * cdfDistance(2, reference, current);
}
