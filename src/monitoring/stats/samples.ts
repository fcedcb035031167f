import { invalidParam } from '../../core/index.js';

/**
 * Input checks shared by the statistics. Cleaning (dropping NaN/inf) is the caller's job, as in
 * Evidently; a statistic handed a non-finite value or an empty side fails loudly instead of
 * returning a silent NaN that would read as "no drift".
 */
export function checkNumeric(name: string, side: 'reference' | 'current', x: Float64Array): void {
  if (x.length === 0) {
    throw invalidParam(`${name}: the ${side} sample is empty; expected at least one value`, {
      statistic: name,
      side,
    });
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw invalidParam(
        `${name}: ${side}[${i}] is ${x[i]}; expected finite numbers (drop NaN/inf first)`,
        { statistic: name, side, index: i },
      );
    }
  }
}

export function checkCategorical(
  name: string,
  side: 'reference' | 'current',
  x: readonly string[],
): void {
  if (x.length === 0) {
    throw invalidParam(`${name}: the ${side} sample is empty; expected at least one value`, {
      statistic: name,
      side,
    });
  }
  for (let i = 0; i < x.length; i++) {
    if (typeof x[i] !== 'string') {
      throw invalidParam(`${name}: ${side}[${i}] is not a string; expected category labels`, {
        statistic: name,
        side,
        index: i,
      });
    }
  }
}

/** Sorted copy (Float64Array sorts numerically, unlike Array#sort). */
export function sorted(x: Float64Array): Float64Array {
  return Float64Array.from(x).sort();
}

/** Number of distinct values of a sorted sample. */
export function distinctCount(sortedX: Float64Array): number {
  let n = sortedX.length > 0 ? 1 : 0;
  for (let i = 1; i < sortedX.length; i++) if (sortedX[i] !== sortedX[i - 1]) n++;
  return n;
}
