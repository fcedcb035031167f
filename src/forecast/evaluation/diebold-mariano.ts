import { erfc } from './normal-cdf.js';
import { studentTTwoSidedP } from './student-t.js';

export interface DieboldMarianoResult {
  /** DM = mean(d) / sqrt(gamma0 / n), d_t = loss_model_t - loss_baseline_t; < 0: model better. */
  readonly statistic: number;
  /** Two-sided, standard normal: 2 (1 - Phi(|DM|)). */
  readonly pValue: number;
  /** Harvey-Leybourne-Newbold: DM * sqrt((n + 1 - 2h + h(h-1)/n) / n), h = 1. */
  readonly hlnStatistic: number;
  /** Two-sided, Student t with n - 1 degrees of freedom (R forecast::dm.test's default). */
  readonly hlnPValue: number;
}

const UNDEFINED: DieboldMarianoResult = {
  statistic: Number.NaN,
  pValue: Number.NaN,
  hlnStatistic: Number.NaN,
  hlnPValue: Number.NaN,
};

/**
 * Diebold-Mariano (1995) test of equal predictive accuracy for horizon 1: the loss differential
 * of a one-step forecast is serially uncorrelated under the null, so its long-run variance is the
 * lag-0 autocovariance gamma0 = sum (d_t - mean d)^2 / n (no HAC lags). Undefined (all NaN) when
 * n < 2 or the differential is constant (gamma0 zero up to rounding), e.g. when the model is the
 * baseline itself: there is nothing to test.
 */
export function dieboldMariano(
  lossModel: ArrayLike<number>,
  lossBaseline: ArrayLike<number>,
): DieboldMarianoResult {
  const n = lossModel.length;
  if (n < 2 || lossBaseline.length !== n) return UNDEFINED;
  const d = new Float64Array(n);
  let mean = 0;
  let meanSquare = 0;
  for (let t = 0; t < n; t++) {
    const v = (lossModel[t] ?? Number.NaN) - (lossBaseline[t] ?? Number.NaN);
    d[t] = v;
    mean += v / n;
    meanSquare += (v * v) / n;
  }
  let gamma0 = 0;
  for (const v of d) gamma0 += ((v - mean) * (v - mean)) / n;
  // A constant differential leaves only rounding noise (~eps^2 * d^2) in gamma0.
  if (!(gamma0 > 1e-24 * meanSquare)) return UNDEFINED;
  const statistic = mean / Math.sqrt(gamma0 / n);
  const hlnStatistic = statistic * Math.sqrt((n - 1) / n);
  return {
    statistic,
    pValue: erfc(Math.abs(statistic) / Math.SQRT2),
    hlnStatistic,
    hlnPValue: studentTTwoSidedP(hlnStatistic, n - 1),
  };
}
