import { describe, expect, it } from 'vitest';
import { histogram, sturgesEdges, valueCounts } from './binning.js';
import {
  cdfDistanceSorted,
  distinctUnionSorted,
  equalWidthEdges,
  histogramSorted,
  meanStd,
  searchSorted,
  sturgesEdgesOf,
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

describe('finite results for values near ±1e308', () => {
  it('meanStd rescales when the sum or the squares overflow', () => {
    expect(meanStd(f64(1.5e308, 1.5e308))).toEqual({ mean: 1.5e308, std: 0 });
    const { mean, std } = meanStd(f64(-1.5e308, 1.5e308));
    expect(mean).toBe(0);
    expect(std).toBe(1.5e308);
    expect(meanStd(f64(1, 2, 3, 4))).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
  });

  it('equal-width and Sturges edges stay finite and ascending over a range above 1.8e308', () => {
    const edges = equalWidthEdges(-1.7e308, 1.7e308, 10);
    expect(edges[0]).toBe(-1.7e308);
    expect(edges[5]).toBe(0);
    expect(edges[10]).toBe(1.7e308);
    for (let i = 1; i <= 10; i++) expect(edges[i]!).toBeGreaterThan(edges[i - 1]!);
    const sturges = sturgesEdgesOf(-1.7e308, 1.7e308, 1000);
    expect(sturges.length - 1).toBe(sturgesEdgesOf(-1.7, 1.7, 1000).length - 1);
    expect(sturges.every(Number.isFinite)).toBe(true);
    expect(Array.from(equalWidthEdges(0, 1, 4))).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});
