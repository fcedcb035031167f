import { describe, expect, it } from 'vitest';
import { histogram, sturgesEdges, valueCounts } from './binning.js';
import {
  cdfDistanceSorted,
  distinctUnionSorted,
  histogramSorted,
  searchSorted,
  valueCountsSorted,
} from './sorted-kernels.js';

const f64 = (...xs: number[]) => Float64Array.from(xs);
const sortedOf = (xs: number[]) => Float64Array.from(xs).sort();

/** scipy's _cdf_distance written the plain way: searchsorted over the concatenated values. */
function naiveCdfDistance(p: 1 | 2, u: Float64Array, v: Float64Array): number {
  const all = Float64Array.from([...u, ...v]).sort();
  let sum = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const x = all[k]!;
    const d = Math.abs(
      searchSorted(u, x, 'right') / u.length - searchSorted(v, x, 'right') / v.length,
    );
    sum += (p === 1 ? d : d * d) * (all[k + 1]! - x);
  }
  return p === 1 ? sum : Math.sqrt(sum);
}

describe('sorted kernels agree with the plain definitions', () => {
  const cases: [number[], number[]][] = [
    [
      [0, 1, 2, 3],
      [1, 2, 3, 4],
    ],
    [
      [1, 1, 1],
      [1, 1],
    ],
    [
      [0, 0, 5, 5, 5, 7],
      [5, 5, 6, -1],
    ],
    [[3], [3, 3, 4, 10, 10]],
    [
      [-2.5, 0, 0, 1e9],
      [0, 0, 0],
    ],
  ];

  it.each(cases)('cdf distances, distinct counts and value counts on %j vs %j', (a, b) => {
    const u = sortedOf(a);
    const v = sortedOf(b);
    for (const p of [1, 2] as const) {
      expect(cdfDistanceSorted(p, u, v)).toBeCloseTo(naiveCdfDistance(p, u, v), 12);
      expect(cdfDistanceSorted(p, v, u)).toBeCloseTo(naiveCdfDistance(p, v, u), 12);
    }
    expect(distinctUnionSorted(u, v)).toBe(new Set([...a, ...b]).size);
    const counts = valueCountsSorted(u, v);
    const plain = valueCounts(a, b);
    expect([...counts.keys]).toEqual(plain.keys);
    expect([...counts.a]).toEqual([...plain.reference]);
    expect([...counts.b]).toEqual([...plain.current]);
  });

  it('histogramSorted counts as np.histogram, last bin closed, outside values dropped', () => {
    const x = sortedOf([-1, 0, 0.5, 1, 1, 1.75, 2, 2, 9]);
    const edges = f64(0, 1, 2);
    expect([...histogramSorted(x, edges)]).toEqual([...histogram(x, edges)]);
    expect([...histogramSorted(x, edges)]).toEqual([2, 5]);
    const y = sortedOf([0.1, 0.2, 0.2, 3, 7, 7, 7.5]);
    const sturges = sturgesEdges(y);
    expect([...histogramSorted(y, sturges)]).toEqual([...histogram(y, sturges)]);
  });

  it('searchSorted left and right around ties', () => {
    const x = f64(1, 2, 2, 2, 3);
    expect([searchSorted(x, 2, 'left'), searchSorted(x, 2, 'right')]).toEqual([1, 4]);
    expect([searchSorted(x, 0, 'left'), searchSorted(x, 4, 'right')]).toEqual([0, 5]);
  });
});
