/** @module monitoring/performance: live regression accuracy over time, against the registered scores. */
export {
  computeRegressionPerformance,
  type RegressionPerformanceOptions,
} from './compute-regression-performance.js';
export {
  DEFAULT_WINDOW_COUNT,
  MIN_DEFAULT_WINDOW_ROWS,
  splitWindows,
  type WindowSpec,
} from './performance-windows.js';
export { scoreRegression } from './regression-scores.js';
export type {
  PerformanceWindow,
  RegressionPerformance,
  RegressionScores,
  ScoredPrediction,
} from './performance-types.js';
