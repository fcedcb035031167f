import type { RegressionScores, ScoredPrediction } from './performance-types.js';

/** A row whose actual is known (checked finite by the caller). */
export type ScoredRow = ScoredPrediction;

/** A baseline counts when it is a number; NaN marks "no baseline for this row". */
export function hasBaseline(row: ScoredPrediction): row is ScoredPrediction & { baseline: number } {
  return typeof row.baseline === 'number' && !Number.isNaN(row.baseline);
}

/**
 * MAE, RMSE, MAPE, mean error and skill of scored rows. MAPE is a fraction over |actual| and
 * null when an actual is 0 (Evidently divides by max(actual, eps) there, which turns one zero
 * into a number near 1e15; null says "not defined" instead). Skill is 1 - RMSE / RMSE(baseline),
 * null unless every row has a baseline and the baseline's RMSE is above 0. With no rows the
 * error means are NaN (JSON null): there is nothing to average.
 */
export function scoreRegression(rows: readonly ScoredRow[]): RegressionScores {
  const n = rows.length;
  let absSum = 0;
  let sqSum = 0;
  let errSum = 0;
  let pctSum = 0;
  let zeroActual = false;
  let baselineSqSum = 0;
  let baselines = 0;
  for (const row of rows) {
    const error = row.predicted - row.actual;
    errSum += error;
    absSum += Math.abs(error);
    sqSum += error * error;
    if (row.actual === 0) zeroActual = true;
    else pctSum += Math.abs(error) / Math.abs(row.actual);
    if (hasBaseline(row)) {
      const b = row.baseline - row.actual;
      baselineSqSum += b * b;
      baselines++;
    }
  }
  const rmse = n > 0 ? Math.sqrt(sqSum / n) : NaN;
  const baselineRmse = n > 0 && baselines === n ? Math.sqrt(baselineSqSum / n) : null;
  return {
    count: n,
    mae: n > 0 ? absSum / n : NaN,
    rmse,
    mape: n > 0 && !zeroActual ? pctSum / n : null,
    skill: baselineRmse !== null && baselineRmse > 0 ? 1 - rmse / baselineRmse : null,
    baselineRmse,
    meanError: n > 0 ? errSum / n : NaN,
  };
}
