/** Test helpers for checking rank statistics by brute force over every split of the ranks. */

export const f64 = (...xs: number[]) => Float64Array.from(xs);

/** Every k-subset of 1..n: which ranks the first sample takes. */
export function* subsets(
  n: number,
  k: number,
  start = 1,
  chosen: number[] = [],
): Generator<number[]> {
  if (chosen.length === k) {
    yield chosen;
    return;
  }
  for (let i = start; i <= n - (k - chosen.length) + 1; i++)
    yield* subsets(n, k, i + 1, [...chosen, i]);
}
