import { invalidParam } from '../../core/index.js';
import { histogram, sturgesEdges, valueCounts } from './binning.js';
import { checkCategorical, checkNumeric } from './samples.js';

/**
 * Evidently's hellinger test. Numerical: Sturges edges over the *distinct* values of the union
 * (not over all rows, unlike psi/kl_div/jensenshannon), histogram densities, then
 * sqrt(1 − Σ sqrt(d_ref · d_cur) · mean bin width) — the density/width arithmetic is kept as
 * Evidently does it so results match to rounding. Result clipped into [0, 1] like its np.clip.
 */
export function hellingerNumerical(reference: Float64Array, current: Float64Array): number {
  checkNumeric('hellinger', 'reference', reference);
  checkNumeric('hellinger', 'current', current);
  const keys = Float64Array.from(valueCounts(reference, current).keys);
  const low = keys[0]!;
  const high = keys[keys.length - 1]!;
  if (!Number.isFinite(high - low)) {
    // numpy fails here too (ptp overflows, then int(nan)); say why rather than crash on the bins.
    throw invalidParam(
      `hellinger: the values span ${low} to ${high}, a range wider than the largest double, so no histogram bins can be made; expected values whose range is finite`,
      { statistic: 'hellinger' },
    );
  }
  const edges = sturgesEdges(keys);
  const bins = edges.length - 1;
  const d1 = density(histogram(reference, edges), edges);
  const d2 = density(histogram(current, edges), edges);
  const meanWidth = (edges[bins]! - edges[0]!) / bins;
  let overlap = 0;
  for (let i = 0; i < bins; i++) overlap += Math.sqrt(d1[i]! * d2[i]!) * meanWidth;
  return Math.sqrt(1 - clip01(overlap));
}

/** Categorical: sqrt(1 − Σ sqrt(p_ref · p_cur)) over the union of categories. */
export function hellingerCategorical(reference: readonly string[], current: readonly string[]) {
  checkCategorical('hellinger', 'reference', reference);
  checkCategorical('hellinger', 'current', current);
  const counts = valueCounts(reference, current);
  let overlap = 0;
  for (let i = 0; i < counts.keys.length; i++) {
    const p = counts.reference[i]! / reference.length;
    const q = counts.current[i]! / current.length;
    overlap += Math.sqrt(p * q);
  }
  return Math.sqrt(1 - clip01(overlap));
}

/** numpy's density=True: count / total / bin width. */
function density(counts: Float64Array, edges: Float64Array): Float64Array {
  let total = 0;
  for (const c of counts) total += c;
  return counts.map((c, i) => c / (edges[i + 1]! - edges[i]!) / total);
}

function clip01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
