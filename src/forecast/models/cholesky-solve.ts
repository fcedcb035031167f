import { invalidParam } from '../../core/index.js';

/**
 * Solves A x = b for a symmetric positive definite n x n matrix A (row-major) by Cholesky
 * factorisation A = L Lᵀ, in float64. Small and dependency-free: the ridge systems here are
 * window-sized (tens of unknowns). Throws when A is not positive definite.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        // Relative tolerance: a pivot this small means A is singular in float64.
        if (!(sum > 1e-12 * Math.abs(a[i * n + i]!))) {
          throw invalidParam(
            'The ridge system is singular (constant or collinear inputs); use alpha > 0.',
            { param: 'alpha' },
          );
        }
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j]!;
      }
    }
  }
  // Forward substitution L z = b, then back substitution Lᵀ x = z.
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * z[k]!;
    z[i] = sum / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
  return x;
}
