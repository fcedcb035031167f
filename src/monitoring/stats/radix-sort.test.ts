import { describe, expect, it } from 'vitest';
import { radixSortFloat64 } from './radix-sort.js';

/** Deterministic values of every sign and magnitude, with ties. */
function values(n: number): Float64Array {
  let s = 12345;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5;
  return Float64Array.from({ length: n }, (_, i) =>
    i % 11 === 0 ? 0 : i % 13 === 0 ? -0 : i % 7 === 0 ? 3.5 : next() * 10 ** ((i % 9) - 4),
  );
}

describe('radixSortFloat64', () => {
  it.each([0, 1, 100, 5000, 70_000])('orders %i values as Float64Array#sort', (n) => {
    const x = values(n);
    const expected = Float64Array.from(x).sort();
    radixSortFloat64(x);
    expect(x).toEqual(expected);
    // -0 sorts before +0, as the native sort puts it.
    expect([...x].map((v) => Object.is(v, -0))).toEqual([...expected].map((v) => Object.is(v, -0)));
  });

  it('sorts a subarray of a larger buffer without touching the rest', () => {
    const all = values(10_000);
    const copy = Float64Array.from(all);
    radixSortFloat64(all.subarray(1000, 9000));
    expect(all.subarray(0, 1000)).toEqual(copy.subarray(0, 1000));
    expect(all.subarray(1000, 9000)).toEqual(copy.subarray(1000, 9000).sort());
  });

  it('sorts values that share their high bits (skipped passes)', () => {
    const x = Float64Array.from({ length: 4096 }, (_, i) => 1 + ((i * 7919) % 4096) * 2 ** -40);
    const expected = Float64Array.from(x).sort();
    radixSortFloat64(x);
    expect(x).toEqual(expected);
  });
});
