import { distinctCount, sorted } from './samples.js';
import { sturgesEdgesOf } from './sorted-kernels.js';

/** Above this many distinct reference values a numerical column is binned by Sturges' rule. */
export const MAX_DISTINCT_FOR_VALUE_BINS = 20;

/**
 * `np.histogram_bin_edges(x, bins="sturges")`, reproduced step by step so edges match numpy bit
 * for bit: width = ptp / (log2(n) + 1), bin count = ceil(range / width), edges from linspace
 * (i * step + start, last edge set to stop exactly). A constant sample gets one bin [v-0.5, v+0.5].
 */
export function sturgesEdges(x: Float64Array): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (const v of x) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return sturgesEdgesOf(min, max, x.length);
}

/** `np.histogram(x, edges)` counts: bins are [e_i, e_i+1), the last one closed on the right. */
export function histogram(x: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  for (const v of x) {
    if (v < edges[0]! || v > edges[bins]!) continue;
    // Binary search for the last edge <= v.
    let lo = 0;
    let hi = bins;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! <= v) lo = mid;
      else hi = mid;
    }
    counts[lo]!++;
  }
  return counts;
}

/** Per-value counts over the sorted union of distinct values of both sides. */
export function valueCounts<T extends number | string>(
  reference: ArrayLike<T>,
  current: ArrayLike<T>,
): { keys: T[]; reference: Float64Array; current: Float64Array } {
  const index = new Map<T, number>();
  for (const side of [reference, current]) {
    for (let i = 0; i < side.length; i++) if (!index.has(side[i]!)) index.set(side[i]!, 0);
  }
  // Sorted keys make the output deterministic (Evidently uses a set, so its order is arbitrary).
  const keys = [...index.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  keys.forEach((k, i) => index.set(k, i));
  const count = (side: ArrayLike<T>) => {
    const out = new Float64Array(keys.length);
    for (let i = 0; i < side.length; i++) out[index.get(side[i]!)!]!++;
    return out;
  };
  return { keys, reference: count(reference), current: count(current) };
}

export interface BinnedShares {
  /** Share of each side's rows per bin (each sums to 1 before zero-filling). */
  reference: Float64Array;
  current: Float64Array;
  /** Sturges edges when the column was binned by range, null when one bin per distinct value. */
  edges: Float64Array | null;
}

/**
 * Evidently's `get_binned_data` for a numerical column: Sturges bins over reference + current
 * combined when the reference has more than 20 distinct values, else one bin per distinct value
 * of the union. Shares are of each side's own length.
 */
export function binNumerical(reference: Float64Array, current: Float64Array): BinnedShares {
  if (distinctCount(sorted(reference)) > MAX_DISTINCT_FOR_VALUE_BINS) {
    const combined = new Float64Array(reference.length + current.length);
    combined.set(reference);
    combined.set(current, reference.length);
    const edges = sturgesEdges(combined);
    return {
      reference: shares(histogram(reference, edges), reference.length),
      current: shares(histogram(current, edges), current.length),
      edges,
    };
  }
  const counts = valueCounts(reference, current);
  return {
    reference: shares(counts.reference, reference.length),
    current: shares(counts.current, current.length),
    edges: null,
  };
}

/** One bin per category over the union of both sides. */
export function binCategorical(reference: readonly string[], current: readonly string[]) {
  const counts = valueCounts(reference, current);
  return {
    reference: shares(counts.reference, reference.length),
    current: shares(counts.current, current.length),
    edges: null,
  };
}

function shares(counts: Float64Array, n: number): Float64Array {
  return counts.map((c) => c / n);
}

/**
 * Zero-bin replacement used by psi and kl_div (not jensenshannon): empty bins become 0.0001, or
 * min non-zero share / 1e6 when that minimum is <= 0.0001, so the logs stay finite. Returns a copy.
 */
export function fillZeroBins(p: Float64Array): Float64Array {
  let minNonZero = Infinity;
  for (const v of p) if (v !== 0 && v < minNonZero) minNonZero = v;
  const fill = minNonZero <= 0.0001 ? minNonZero / 1e6 : 0.0001;
  return p.map((v) => (v === 0 ? fill : v));
}
