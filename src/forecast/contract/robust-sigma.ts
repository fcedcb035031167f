/** Median of a non-empty list (copies; does not reorder the input). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

/** 1 / Phi^-1(3/4): scales the median absolute deviation to a normal's standard deviation. */
export const MAD_TO_SIGMA = 1.4826;

/**
 * A robust centre and spread: the median and 1.4826 x the median absolute deviation, which a few
 * crash days (the very outliers we look for) cannot inflate the way they inflate a plain std.
 */
export function robustSigma(values: readonly number[]): { center: number; sigma: number } {
  const center = median(values);
  const sigma = MAD_TO_SIGMA * median(values.map((v) => Math.abs(v - center)));
  return { center, sigma };
}
