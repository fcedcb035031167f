/**
 * Linear passes over samples that are already sorted ascending and cleaned (finite values only).
 * The drift engine sorts each column once (the reference once per profile) and then every
 * statistic below is a merge-style walk: no allocation per row, no second sort.
 */

/** Number of values < x (`side: 'left'`) or <= x (`'right'`), as numpy's searchsorted. */
export function searchSorted(sorted: Float64Array, x: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v < x || (side === 'right' && v === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Distinct values of one sorted sample. */
export function distinctSorted(sorted: Float64Array): number {
  let n = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) n++;
  return n;
}

/** Distinct values of the union of two sorted samples (Evidently's n_unique over both sides). */
export function distinctUnionSorted(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let count = 0;
  while (i < n && j < m) {
    const x = a[i]! <= b[j]! ? a[i]! : b[j]!;
    count++;
    while (i < n && a[i] === x) i++;
    while (j < m && b[j] === x) j++;
  }
  return count + distinctSorted(i < n ? a.subarray(i) : b.subarray(j));
}

/**
 * scipy's `_cdf_distance` on sorted samples: Σ |U(x_k) − V(x_k)|^p · (x_k+1 − x_k) over the
 * merged sample x, with U, V the right-continuous empirical CDFs, then the p-th root. One merge
 * walk: before each value is taken, the counts taken so far are U and V at the previous value
 * (exactly so whenever the gap is non-zero; a tie's gap is zero, so its term vanishes as in
 * scipy). The CDFs are multiplied by 1/n instead of divided by n: the same to ~1 ulp per term.
 */
export function cdfDistanceSorted(p: 1 | 2, u: Float64Array, v: Float64Array): number {
  const n = u.length;
  const m = v.length;
  const invN = 1 / n;
  const invM = 1 / m;
  let i = 0;
  let j = 0;
  let x = Math.min(u[0]!, v[0]!);
  let sum = 0;
  while (i < n && j < m) {
    const a = u[i]!;
    const b = v[j]!;
    const takeU = a <= b;
    const y = takeU ? a : b;
    const diff = Math.abs(i * invN - j * invM);
    sum += (p === 1 ? diff : diff * diff) * (y - x);
    i += takeU ? 1 : 0;
    j += takeU ? 0 : 1;
    x = y;
  }
  // One side is used up: its CDF is 1 from here on.
  for (; i < n; i++) {
    const diff = 1 - i * invN;
    sum += (p === 1 ? diff : diff * diff) * (u[i]! - x);
    x = u[i]!;
  }
  for (; j < m; j++) {
    const diff = 1 - j * invM;
    sum += (p === 1 ? diff : diff * diff) * (v[j]! - x);
    x = v[j]!;
  }
  return p === 1 ? sum : Math.sqrt(sum);
}

/**
 * Mean and population standard deviation (numpy's default ddof = 0), two passes. Finite values
 * whose sum or squares overflow a double (magnitudes near 1e308) are summed again in units of
 * the largest magnitude, so both results stay finite (the std of finite values is at most the
 * largest magnitude).
 */
export function meanStd(x: Float64Array): { mean: number; std: number } {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i]!;
  mean /= x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - mean;
    ss += d * d;
  }
  const std = Math.sqrt(ss / x.length);
  return Number.isFinite(mean) && Number.isFinite(std) ? { mean, std } : meanStdRescaled(x);
}

/** meanStd's passes over x / max |x| (slower: a division per value; for huge values only). */
function meanStdRescaled(x: Float64Array): { mean: number; std: number } {
  let unit = 0;
  for (let i = 0; i < x.length; i++) unit = Math.max(unit, Math.abs(x[i]!));
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i]! / unit;
  mean /= x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! / unit - mean;
    ss += d * d;
  }
  return { mean: mean * unit, std: Math.sqrt(ss / x.length) * unit };
}

/**
 * numpy's equal-width edges from min to max (`linspace`, last edge set exactly; a zero range
 * becomes [v − 0.5, v + 0.5]), as `np.histogram_bin_edges` builds them. A range wider than the
 * largest double (min near −1e308, max near +1e308) is stepped in halves, so every edge stays
 * finite and ascending instead of becoming ±Infinity or NaN.
 */
export function equalWidthEdges(min: number, max: number, bins: number): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  if (Number.isFinite(step)) {
    for (let i = 0; i < bins; i++) edges[i] = i * step + first;
  } else {
    const half = (last / 2 - first / 2) / bins;
    for (let i = 0; i < bins; i++) edges[i] = (i * half + first / 2) * 2;
  }
  edges[bins] = last;
  return edges;
}

/**
 * `np.histogram_bin_edges(x, bins="sturges")` from the sample's size and range: width =
 * ptp / (log2(n) + 1), bins = ceil(range / width). A range wider than the largest double gives
 * the same count from half the range (halving both terms cannot overflow).
 */
export function sturgesEdgesOf(min: number, max: number, n: number): Float64Array {
  const ptp = Number.isFinite(max - min) ? max - min : max / 2 - min / 2;
  const width = ptp / (Math.log2(n) + 1);
  const range = min === max ? 1 : ptp;
  return equalWidthEdges(min, max, width ? Math.ceil(range / width) : 1);
}

/**
 * `np.histogram(x, edges)` counts for a sorted sample: bins [e_i, e_i+1), the last one closed,
 * values outside the edges ignored. Two binary searches per edge instead of one per value.
 */
export function histogramSorted(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  let below = searchSorted(sorted, edges[0]!, 'left');
  for (let b = 0; b < bins; b++) {
    const upTo = searchSorted(sorted, edges[b + 1]!, b === bins - 1 ? 'right' : 'left');
    counts[b] = upTo - below;
    below = upTo;
  }
  return counts;
}

/** Per-value counts of two sorted samples over the sorted union of their distinct values. */
export function valueCountsSorted(
  a: Float64Array,
  b: Float64Array,
): { keys: Float64Array; a: Float64Array; b: Float64Array } {
  const size = distinctUnionSorted(a, b);
  const keys = new Float64Array(size);
  const ca = new Float64Array(size);
  const cb = new Float64Array(size);
  let i = 0;
  let j = 0;
  let k = -1;
  while (i < a.length || j < b.length) {
    const fromA = j >= b.length || (i < a.length && a[i]! <= b[j]!);
    const v = fromA ? a[i++]! : b[j++]!;
    if (k < 0 || keys[k] !== v) keys[++k] = v;
    if (fromA) ca[k]!++;
    else cb[k]!++;
  }
  return { keys, a: ca, b: cb };
}
