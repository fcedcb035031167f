/** @module forecast/evaluation: metrics vs persistence, the DM test, controls, walk-forward backtest. */
export {
  forecastMetrics,
  type ForecastMetrics,
  type ForecastMetricsInput,
} from './forecast-metrics.js';
export { dieboldMariano, type DieboldMarianoResult } from './diebold-mariano.js';
export { wilsonInterval, Z_95 } from './wilson-interval.js';
export { normalCdf, erfc } from './normal-cdf.js';
export { studentTTwoSidedP } from './student-t.js';
export { noisyPersistence } from './noisy-persistence.js';
export { shuffledReturnsCloses } from './shuffled-returns.js';
export {
  walkForwardFolds,
  type WalkForwardFold,
  type WalkForwardOptions,
} from './walk-forward-folds.js';
export {
  walkForwardBacktest,
  type WalkForwardBacktestOptions,
  type WalkForwardFoldResult,
  type WalkForwardResult,
} from './walk-forward-backtest.js';
