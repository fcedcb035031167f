import { invalidParam } from '../../core/index.js';
import { SeededRandom } from '../models/seeded-random.js';

/**
 * For the shuffled-targets control. The `Forecaster` interface fits on a series of closes, not on
 * (window, target) pairs, so the caller builds the control series with this helper: the daily log
 * returns of rows 1 .. trainEnd-1 are permuted (seeded Fisher-Yates) and the price path rebuilt
 * from closes[0]; rows from `trainEnd` on are copied unchanged. Each training target's change is
 * then independent of its window while keeping the returns' distribution and scale; a permutation
 * keeps their sum, so the rebuilt path ends at closes[trainEnd-1] and joins the untouched rows.
 *
 * Caller: `const control = createForecaster(); await control.fit({ closes:
 * shuffledReturnsCloses(closes, split.testStart, seed), split });` then predict the test windows
 * cut from the ORIGINAL closes and score with `forecastMetrics` like any model.
 */
export function shuffledReturnsCloses(
  closes: Float64Array,
  trainEnd: number,
  seed: number,
): Float64Array {
  if (!Number.isInteger(trainEnd) || trainEnd < 2 || trainEnd > closes.length) {
    throw invalidParam(
      `shuffledReturnsCloses: trainEnd ${trainEnd} must be an integer in 2..${closes.length}.`,
    );
  }
  if (!Number.isSafeInteger(seed))
    throw invalidParam(`shuffledReturnsCloses: seed ${seed} must be an integer.`);
  if (closes.some((c) => !(c > 0))) {
    throw invalidParam(
      'shuffledReturnsCloses: closes must be positive (log returns are permuted).',
    );
  }
  const returns = new Float64Array(trainEnd - 1);
  for (let t = 1; t < trainEnd; t++) {
    returns[t - 1] = Math.log((closes[t] ?? Number.NaN) / (closes[t - 1] ?? Number.NaN));
  }
  const order = new SeededRandom(seed).permutation(returns.length);
  const out = Float64Array.from(closes);
  for (let t = 1; t < trainEnd; t++) {
    out[t] = (out[t - 1] ?? 0) * Math.exp(returns[order[t - 1] ?? 0] ?? 0);
  }
  return out;
}
