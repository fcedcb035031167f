/** Phi^-1(0.975): the two-sided 95% normal quantile. */
export const Z_95 = 1.959963984540054;

/**
 * Wilson score interval for a binomial proportion (successes out of n). Chosen over Wald because
 * it stays inside [0, 1] and keeps close to nominal coverage for shares near 0 or 1 and small n,
 * and over Clopper-Pearson because that one is conservative (wider than 95%) and needs the
 * inverse incomplete beta. n = 0 gives [NaN, NaN].
 */
export function wilsonInterval(
  successes: number,
  n: number,
  z: number = Z_95,
): { readonly low: number; readonly high: number } {
  if (n <= 0) return { low: Number.NaN, high: Number.NaN };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}
