import { choleskySolve } from './cholesky-solve.js';

export interface RidgeSolution {
  readonly weights: Float64Array;
  readonly bias: number;
}

/**
 * Closed-form ridge regression y ≈ x·w + b with an unpenalised intercept (scikit-learn's Ridge:
 * minimise Σ(y - x·w - b)² + alpha·|w|²): centre x and y, solve (XcᵀXc + alpha·I) w = Xcᵀyc,
 * then b = mean(y) - mean(x)·w.
 */
export function fitRidge(
  rows: readonly Float64Array[],
  y: Float64Array,
  alpha: number,
): RidgeSolution {
  const n = rows.length;
  const p = rows[0]?.length ?? 0;
  const xMean = new Float64Array(p);
  let yMean = 0;
  rows.forEach((row, r) => {
    for (let j = 0; j < p; j++) xMean[j]! += row[j]! / n;
    yMean += y[r]! / n;
  });
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  const xc = new Float64Array(p);
  rows.forEach((row, r) => {
    for (let j = 0; j < p; j++) xc[j] = row[j]! - xMean[j]!;
    const yc = y[r]! - yMean;
    for (let i = 0; i < p; i++) {
      b[i]! += xc[i]! * yc;
      for (let j = 0; j <= i; j++) a[i * p + j]! += xc[i]! * xc[j]!;
    }
  });
  for (let i = 0; i < p; i++) {
    a[i * p + i]! += alpha;
    for (let j = 0; j < i; j++) a[j * p + i] = a[i * p + j]!;
  }
  const weights = choleskySolve(a, b, p);
  let bias = yMean;
  for (let j = 0; j < p; j++) bias -= xMean[j]! * weights[j]!;
  return { weights, bias };
}
