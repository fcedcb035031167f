/**
 * Walks the pooled sorted values of two sorted samples one group of equal values at a time (the
 * rank-based tests' common loop: mid-ranks, tie counts, searchsorted left/right), in O(n1 + n2)
 * without building the pooled array.
 */
export function forEachTieGroup(
  a: Float64Array,
  b: Float64Array,
  visit: (value: number, inA: number, inB: number, before: number) => void,
): void {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const i0 = i;
    const j0 = j;
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    visit(v, i - i0, j - j0, i0 + j0);
  }
}
