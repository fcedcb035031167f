/**
 * Sorts a Float64Array ascending in place with an LSD radix sort: the same order as
 * `Float64Array.prototype.sort` for finite values (−0 before +0), about 2.5x faster on 10^6
 * values here, which matters because sorting is most of a drift report's time. Hand-written: no
 * maintained npm package sorts typed arrays by radix without native code.
 *
 * Each double's bits become an unsigned key that orders as the number does (flip every bit of a
 * negative, only the sign bit of a positive), four stable passes of 16-bit digits order the keys,
 * and the bits are flipped back. A pass whose digit is the same for every value is skipped.
 *
 * Self-contained on purpose (no outer references): the sort worker runs its source text.
 *
 * @param scratch reused working memory of at least 2 × length words (allocated when absent)
 */
export function radixSortFloat64(values: Float64Array, scratch?: Uint32Array): void {
  const n = values.length;
  if (n < 2048) {
    values.sort();
    return;
  }
  const a = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const b = scratch && scratch.length >= n * 2 ? scratch : new Uint32Array(n * 2);
  // Little-endian: word 2i is the low half of value i, word 2i+1 the high half (sign, exponent).
  for (let i = 1; i < 2 * n; i += 2) {
    const hi = a[i]!;
    if (hi & 0x80000000) {
      a[i] = ~hi;
      a[i - 1] = ~a[i - 1]!;
    } else a[i] = hi | 0x80000000;
  }
  const counts = new Uint32Array(4 * 65536);
  for (let i = 0; i < 2 * n; i += 2) {
    const lo = a[i]!;
    const hi = a[i + 1]!;
    counts[lo & 0xffff]!++;
    counts[65536 + (lo >>> 16)]!++;
    counts[131072 + (hi & 0xffff)]!++;
    counts[196608 + (hi >>> 16)]!++;
  }
  let src: Uint32Array = a;
  let dst: Uint32Array = b;
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 65536;
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    let sum = 0;
    let skip = false;
    for (let k = 0; k < 65536; k++) {
      const c = counts[base + k]!;
      if (c === n) skip = true;
      counts[base + k] = sum;
      sum += c;
    }
    if (skip) continue;
    for (let i = 0; i < 2 * n; i += 2) {
      const lo = src[i]!;
      const hi = src[i + 1]!;
      const digit = ((word ? hi : lo) >>> shift) & 0xffff;
      const at = 2 * counts[base + digit]!++;
      dst[at] = lo;
      dst[at + 1] = hi;
    }
    const swap = src;
    src = dst;
    dst = swap;
  }
  if (src !== a) a.set(src.subarray(0, n * 2));
  for (let i = 1; i < 2 * n; i += 2) {
    const hi = a[i]!;
    if (hi & 0x80000000) a[i] = hi & 0x7fffffff;
    else {
      a[i] = ~hi;
      a[i - 1] = ~a[i - 1]!;
    }
  }
}
