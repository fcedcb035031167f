import { describe, expect, it } from 'vitest';
import { binCategorical, binNumerical, fillZeroBins, histogram, sturgesEdges } from './binning.js';

const f64 = (...xs: number[]) => Float64Array.from(xs);
const range = (n: number, from = 0) => Float64Array.from({ length: n }, (_, i) => from + i);

describe('sturgesEdges (np.histogram_bin_edges, bins="sturges")', () => {
  it('uses ceil(log2(n) + 1) equal bins from min to max, last edge exactly max', () => {
    // n = 8: width = 7 / 4, so 4 bins over [0, 7].
    expect([...sturgesEdges(range(8))]).toEqual([0, 1.75, 3.5, 5.25, 7]);
  });

  it('gives a constant column one bin of width 1 centred on the value', () => {
    expect([...sturgesEdges(f64(3, 3, 3, 3))]).toEqual([2.5, 3.5]);
  });

  it('handles a single value', () => {
    expect([...sturgesEdges(f64(5))]).toEqual([4.5, 5.5]);
  });
});

describe('histogram', () => {
  it('counts half-open bins with the last one closed, like numpy', () => {
    expect([...histogram(f64(0, 0.5, 1, 2), f64(0, 1, 2))]).toEqual([2, 2]);
  });

  it('ignores values outside the edges', () => {
    expect([...histogram(f64(-1, 0.5, 3), f64(0, 1, 2))]).toEqual([1, 0]);
  });
});

describe('binNumerical (Evidently get_binned_data)', () => {
  it('uses Sturges edges over reference + current when the reference has > 20 distinct values', () => {
    const reference = range(21);
    const current = range(10, 100);
    const binned = binNumerical(reference, current);
    const combined = new Float64Array([...reference, ...current]);
    expect(binned.edges).toEqual(sturgesEdges(combined));
    expect(binned.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(binned.current.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('uses one bin per distinct value of the union at 20 distinct reference values', () => {
    const binned = binNumerical(range(20), f64(0, 0, 99));
    expect(binned.edges).toBeNull();
    expect(binned.reference.length).toBe(21); // 0..19 plus 99 from current
    expect(binned.current[0]).toBeCloseTo(2 / 3, 15);
    expect(binned.current[20]).toBeCloseTo(1 / 3, 15);
    expect(binned.reference[20]).toBe(0);
  });

  it('bins a constant reference against a different constant current as two values', () => {
    const binned = binNumerical(f64(3, 3, 3), f64(4, 4));
    expect([...binned.reference]).toEqual([1, 0]);
    expect([...binned.current]).toEqual([0, 1]);
  });

  it('bins identical constant columns as one shared value', () => {
    const binned = binNumerical(f64(7, 7), f64(7));
    expect([...binned.reference]).toEqual([1]);
    expect([...binned.current]).toEqual([1]);
  });
});

describe('binCategorical', () => {
  it('aligns both sides on the sorted union of labels', () => {
    const binned = binCategorical(['b', 'a', 'a', 'a'], ['c', 'a']);
    expect([...binned.reference]).toEqual([0.75, 0.25, 0]);
    expect([...binned.current]).toEqual([0.5, 0, 0.5]);
  });
});

describe('fillZeroBins', () => {
  it('replaces empty bins by 0.0001 when every non-zero share is larger', () => {
    expect([...fillZeroBins(f64(0, 0.5, 0.5))]).toEqual([0.0001, 0.5, 0.5]);
  });

  it('uses min non-zero share / 1e6 when that share is <= 0.0001', () => {
    const filled = fillZeroBins(f64(0, 0.0001, 0.9999));
    expect(filled[0]).toBeCloseTo(1e-10, 25);
    expect(filled[1]).toBe(0.0001);
  });

  it('does not modify its input', () => {
    const p = f64(0, 1);
    fillZeroBins(p);
    expect([...p]).toEqual([0, 1]);
  });
});
