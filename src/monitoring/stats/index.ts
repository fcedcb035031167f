/** Closed-form drift statistics matching Evidently's stat tests (see drift-tests.ts). */
export {
  DRIFT_TESTS,
  driftTest,
  energyDistanceTest,
  hellingerCategoricalTest,
  hellingerTest,
  jensenShannon,
  jensenShannonCategorical,
  jensenShannonCategoricalTest,
  jensenShannonTest,
  klDiv,
  klDivCategorical,
  klDivCategoricalTest,
  klDivTest,
  psi,
  psiCategorical,
  psiCategoricalTest,
  psiTest,
  wassersteinTest,
  type ColumnKind,
  type DriftResult,
  type DriftTest,
  type SampleOf,
} from './drift-tests.js';
export {
  binCategorical,
  binNumerical,
  fillZeroBins,
  histogram,
  sturgesEdges,
  type BinnedShares,
} from './binning.js';
export {
  energyDistance,
  populationStd,
  wassersteinDistance,
  wassersteinNormed,
} from './cdf-distance.js';
export { hellingerCategorical, hellingerNumerical } from './hellinger.js';
