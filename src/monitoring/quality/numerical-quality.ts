import { ALMOST_CONSTANT_SHARE, currentValueProblems, share } from './column-summary.js';
import type { ColumnQuality } from './quality-types.js';

/** One side of a numerical column: its finite values sorted, and what the checks read. */
export interface NumericProfile {
  readonly rows: number;
  /** NaN and ±inf (Evidently's default missing values include ±inf). */
  readonly missing: number;
  readonly sorted: Float64Array;
  readonly mean: number;
  readonly distinct: number;
  /** Rows holding the most frequent finite value. */
  readonly topCount: number;
}

export function profileNumbers(values: Float64Array): NumericProfile {
  const sorted = new Float64Array(values.length);
  let n = 0;
  let sum = 0;
  for (const x of values) {
    if (!Number.isFinite(x)) continue;
    sorted[n++] = x;
    sum += x;
  }
  const finite = sorted.subarray(0, n).sort();
  let distinct = 0;
  let topCount = 0;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && finite[j] === finite[i]) j++;
    distinct++;
    topCount = Math.max(topCount, j - i);
    i = j;
  }
  return {
    rows: values.length,
    missing: values.length - n,
    sorted: finite,
    mean: n > 0 ? meanOf(finite, sum) : NaN,
    distinct,
    topCount,
  };
}

/**
 * sum / n, unless the sum overflowed (values near ±1.8e308): then Σ x / n, whose terms and
 * partial sums stay within the largest |x|, so the mean is finite as the values are.
 */
function meanOf(values: Float64Array, sum: number): number {
  if (Number.isFinite(sum)) return sum / values.length;
  let scaled = 0;
  for (const x of values) scaled += x / values.length;
  return scaled;
}

/**
 * Quality of one numerical column against its reference. Out-of-range is Evidently's
 * ColumnValueRangeMetric with the range taken from the reference: [ref min, ref max], both ends
 * inclusive, share over the current values that are present (missing ones are left out).
 */
export function numericalQuality(
  column: string,
  reference: Float64Array,
  current: Float64Array,
): { quality: ColumnQuality; problems: string[] } {
  const ref = profileNumbers(reference);
  const cur = profileNumbers(current);
  const problems: string[] = [];
  const present = cur.sorted.length;

  let range: { referenceRange: readonly [number, number]; outOfRange: number } | undefined;
  if (ref.sorted.length > 0) {
    const low = ref.sorted[0]!;
    const high = ref.sorted[ref.sorted.length - 1]!;
    let outOfRange = 0;
    for (const x of cur.sorted) if (x < low || x > high) outOfRange++;
    range = { referenceRange: [low, high], outOfRange };
  } else if (ref.rows > 0) {
    problems.push(
      `column '${column}': every reference value is missing, so there is no range to check current values against`,
    );
  }

  const quality: ColumnQuality = {
    column,
    kind: 'numerical',
    missing: cur.missing,
    missingShare: share(cur.missing, cur.rows),
    referenceMissingShare: share(ref.missing, ref.rows),
    ...(range
      ? {
          outOfRange: range.outOfRange,
          outOfRangeShare: share(range.outOfRange, present),
          referenceRange: range.referenceRange,
        }
      : {}),
    ...(present > 0 ? { min: cur.sorted[0]!, max: cur.sorted[present - 1]!, mean: cur.mean } : {}),
    constant: cur.distinct <= 1,
    almostConstant: cur.rows > 0 && cur.topCount / cur.rows >= ALMOST_CONSTANT_SHARE,
  };
  problems.push(...currentValueProblems(column, cur, ref.distinct, String(cur.sorted[0])));
  return { quality, problems };
}
