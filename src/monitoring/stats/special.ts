import betainc from '@stdlib/math-base-special-betainc';
import erfc from '@stdlib/math-base-special-erfc';
import gammainc from '@stdlib/math-base-special-gammainc';
import gammaln from '@stdlib/math-base-special-gammaln';
import { CompensatedSum } from './compensated-sum.js';

/**
 * The distribution tails the p-value tests need, on @stdlib's special functions. Tails are
 * computed directly (erfc, upper incomplete gamma/beta), never as 1 − cdf, so a p-value of 1e-47
 * keeps its relative accuracy instead of rounding to 0.
 */

export { gammaln };

/** Standard normal upper tail P(Z > z) (scipy `special.ndtr(-z)`). */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Chi-square upper tail with `dof` degrees of freedom (scipy `chi2.sf`). */
export function chi2Sf(x: number, dof: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return gammainc(x / 2, dof / 2, true, true);
}

/** Student t upper tail P(T > t) with `dof` degrees of freedom (scipy `t.sf`). */
export function studentTSf(t: number, dof: number): number {
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  // P(|T| > |t|) = I_{dof/(dof+t²)}(dof/2, 1/2); halve it for one tail.
  const tail = 0.5 * betainc(dof / (dof + t * t), dof / 2, 0.5, true, false);
  return t >= 0 ? tail : 1 - tail;
}

/**
 * Modified Bessel function of the second kind K_v(x), x > 0, for the Cramér–von Mises limit
 * distribution (scipy `special.kv`; no npm package we use has fractional orders). It is the
 * integral ∫_0^∞ exp(−x cosh t) cosh(v t) dt; its integrand is analytic and decays double
 * exponentially, so the trapezoid rule converges exponentially in the step (h = 1/16 reaches
 * double precision for the orders and arguments used here; the tests check it against known
 * values).
 */
export function besselK(v: number, x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  // The integrand narrows like 1/sqrt(x) around t = 0 for large x; keep ~8 points per width.
  const h = Math.min(1 / 16, 0.125 / Math.sqrt(x));
  // Scale by exp(x) so large x does not underflow before the sum: e^{-x(cosh t - 1)}.
  // cosh t − 1 = 2 sinh²(t/2) avoids cancellation near t = 0; the sum is compensated so K keeps
  // full precision (the CvM p-value is 1 − a sum of these, so every ulp shows there).
  const sum = new CompensatedSum();
  sum.add(0.5); // t = 0 term (cosh 0 = 1), weight 1/2
  for (let i = 1; ; i++) {
    const t = i * h;
    const s = Math.sinh(t / 2);
    const term = Math.exp(-2 * x * s * s) * Math.cosh(v * t);
    sum.add(term);
    if (term < 1e-18 * sum.value) break;
  }
  return sum.value * h * Math.exp(-x);
}
