/** Drift statistics matching Evidently's stat tests (see drift-tests.ts for the registry). */
export {
  DRIFT_TESTS,
  andersonTest,
  chiSquareNumericalTest,
  chiSquareTest,
  cramerVonMisesTest,
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
  ksTest,
  mannWhitneyTest,
  psi,
  psiCategorical,
  psiCategoricalTest,
  psiTest,
  tTestTest,
  wassersteinTest,
  zNumericalTest,
  zTest,
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
export {
  ksStatisticSorted,
  ksTwoSample,
  ksTwoSampleSorted,
  type KsMethod,
  type KsResult,
  type PValueResult,
} from './ks.js';
export { kolmogorovSf } from './kolmogorov.js';
export { andersonKSample, andersonKSampleSorted, type AndersonResult } from './anderson.js';
export {
  cramerVonMises,
  cramerVonMisesSorted,
  type CramerVonMisesResult,
} from './cramer-von-mises.js';
export {
  mannWhitneyU,
  mannWhitneyUSorted,
  type Alternative,
  type MannWhitneyResult,
} from './mann-whitney.js';
export { tTest } from './t-test.js';
export { chiSquareCategorical, chiSquareNumerical } from './chisquare.js';
export { zTestCategorical, zTestNumerical } from './z-test.js';
