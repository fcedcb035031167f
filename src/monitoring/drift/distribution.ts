import type { ColumnKind } from '../stats/index.js';
import { equalWidthEdges, histogramSorted, valueCountsSorted } from '../stats/sorted-kernels.js';
import type { ColumnDistribution, ColumnSideSummary } from './drift-types.js';
import { unionKeys } from './run-test.js';
import type { SideProfile } from './side-profile.js';

/** Evidently's plots use 10 equal-width bins (`DataDriftOptions.DEFAULT_NBINSX`). */
export const DISTRIBUTION_BINS = 10;

/**
 * What a chart draws for one column: for a numerical column, the shares of each side in 10
 * equal-width bins over the combined range; for a categorical one, each category's share.
 * Undefined when a side has no values (nothing to compare).
 */
export function columnDistribution(
  kind: ColumnKind,
  reference: SideProfile,
  current: SideProfile,
): ColumnDistribution | undefined {
  if (reference.type === 'numbers' && current.type === 'numbers') {
    const ref = reference.sorted;
    const cur = current.sorted;
    if (ref.length === 0 || cur.length === 0) return undefined;
    if (kind === 'categorical') {
      const counts = valueCountsSorted(ref, cur);
      return {
        type: 'categories',
        categories: Array.from(counts.keys, String),
        reference: Array.from(counts.a, (c) => c / ref.length),
        current: Array.from(counts.b, (c) => c / cur.length),
      };
    }
    const edges = equalWidthEdges(
      Math.min(reference.min, current.min),
      Math.max(reference.max, current.max),
      DISTRIBUTION_BINS,
    );
    return {
      type: 'histogram',
      edges: Array.from(edges),
      reference: Array.from(histogramSorted(ref, edges), (c) => c / ref.length),
      current: Array.from(histogramSorted(cur, edges), (c) => c / cur.length),
    };
  }
  if (reference.type === 'labels' && current.type === 'labels') {
    if (reference.labels.length === 0 || current.labels.length === 0) return undefined;
    const keys = unionKeys(reference, current);
    return {
      type: 'categories',
      categories: keys,
      reference: keys.map((k) => (reference.counts.get(k) ?? 0) / reference.labels.length),
      current: keys.map((k) => (current.counts.get(k) ?? 0) / current.labels.length),
    };
  }
  return undefined;
}

/** The side summary of the report (missing values are those dropped before the test). */
export function sideSummary(side: SideProfile | undefined): ColumnSideSummary {
  if (!side) return { rows: 0, missing: 0, distinct: 0 };
  if (side.type === 'labels') {
    return { rows: side.rows, missing: side.missing, distinct: side.distinct };
  }
  if (side.sorted.length === 0) {
    return { rows: side.rows, missing: side.missing, distinct: 0 };
  }
  return {
    rows: side.rows,
    missing: side.missing,
    mean: side.mean,
    std: side.std,
    min: side.min,
    max: side.max,
    distinct: side.distinct,
  };
}
