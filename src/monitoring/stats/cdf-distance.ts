import { checkNumeric, sorted } from './samples.js';

/**
 * scipy's `_cdf_distance`: walk the merged sorted values and integrate |U - V|^p over each gap
 * between consecutive values, with U, V the empirical CDFs (right-continuous, as searchsorted
 * 'right' gives). Shared by the Wasserstein and energy distances.
 */
function cdfDistance(p: 1 | 2, u: Float64Array, v: Float64Array): number {
  const us = sorted(u);
  const vs = sorted(v);
  const all = new Float64Array(us.length + vs.length);
  all.set(us);
  all.set(vs, us.length);
  all.sort();
  let iu = 0;
  let iv = 0;
  let sum = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const x = all[k]!;
    while (iu < us.length && us[iu]! <= x) iu++;
    while (iv < vs.length && vs[iv]! <= x) iv++;
    const diff = Math.abs(iu / us.length - iv / vs.length);
    sum += (p === 1 ? diff : diff * diff) * (all[k + 1]! - x);
  }
  return p === 1 ? sum : Math.sqrt(sum);
}

/** `scipy.stats.wasserstein_distance` (first Wasserstein distance between the two samples). */
export function wassersteinDistance(reference: Float64Array, current: Float64Array): number {
  checkNumeric('wasserstein', 'reference', reference);
  checkNumeric('wasserstein', 'current', current);
  return cdfDistance(1, reference, current);
}

/** Population standard deviation (numpy's default ddof=0). */
export function populationStd(x: Float64Array): number {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let ss = 0;
  for (const v of x) ss += (v - mean) * (v - mean);
  return Math.sqrt(ss / x.length);
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
