import { fillZeroBins } from './binning.js';

/**
 * The formulas behind psi, kl_div and jensenshannon, on already-binned shares. Binning (and the
 * choice numerical vs categorical) happens in drift-tests.ts so these stay plain arithmetic.
 */

/** PSI = Σ (ref − cur) · ln(ref / cur) over zero-filled shares (Evidently's psi). */
export function psiFromShares(reference: Float64Array, current: Float64Array): number {
  const r = fillZeroBins(reference);
  const c = fillZeroBins(current);
  let sum = 0;
  for (let i = 0; i < r.length; i++) sum += (r[i]! - c[i]!) * Math.log(r[i]! / c[i]!);
  return sum;
}

/**
 * `scipy.stats.entropy(ref, cur)` over zero-filled shares: KL(ref ‖ cur). scipy renormalizes
 * both vectors to sum 1 first, which matters because zero-filling pushes the sums above 1.
 */
export function klDivFromShares(reference: Float64Array, current: Float64Array): number {
  const p = normalize(fillZeroBins(reference));
  const q = normalize(fillZeroBins(current));
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += relEntr(p[i]!, q[i]!);
  return sum;
}

/**
 * `scipy.spatial.distance.jensenshannon(ref, cur)`: sqrt of the JS divergence, natural log, no
 * zero-filling (the mixture is positive wherever either side is, so nothing diverges).
 */
export function jensenShannonFromShares(reference: Float64Array, current: Float64Array): number {
  const p = normalize(reference);
  const q = normalize(current);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    sum += relEntr(p[i]!, m) + relEntr(q[i]!, m);
  }
  return Math.sqrt(sum / 2);
}

/** scipy.special.rel_entr: x ln(x/y), 0 when x = 0, +inf when only y = 0. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

function normalize(p: Float64Array): Float64Array {
  let total = 0;
  for (const v of p) total += v;
  return p.map((v) => v / total);
}
