import { invalidParam } from '../../core/index.js';
import { andersonKSample } from './anderson.js';
import { binCategorical, binNumerical } from './binning.js';
import { energyDistance, wassersteinNormed } from './cdf-distance.js';
import { chiSquareCategorical, chiSquareNumerical } from './chisquare.js';
import { cramerVonMises } from './cramer-von-mises.js';
import { jensenShannonFromShares, klDivFromShares, psiFromShares } from './divergences.js';
import { hellingerCategorical, hellingerNumerical } from './hellinger.js';
import { ksTwoSample } from './ks.js';
import { mannWhitneyU } from './mann-whitney.js';
import { checkCategorical, checkNumeric } from './samples.js';
import { tTest } from './t-test.js';
import { zTestCategorical, zTestNumerical } from './z-test.js';

export type ColumnKind = 'numerical' | 'categorical';
/** Numerical columns arrive as Float64Array, categorical ones as string labels. */
export type SampleOf<K extends ColumnKind> = K extends 'numerical'
  ? Float64Array
  : readonly string[];

export interface DriftResult {
  /** The test's score as Evidently reports it: the p-value of a p-value test, else the distance. */
  statistic: number;
  threshold: number;
  drifted: boolean;
}

/**
 * One statistical test for one column kind. A test that works on both kinds (psi, …) has one
 * implementation per kind, so `run` stays monomorphic and the selection table can look tests up
 * by (name, kind). Samples must be cleaned first (no NaN/inf, not empty): bad input throws.
 */
export interface DriftTest<K extends ColumnKind = ColumnKind> {
  readonly name: string;
  readonly kind: K;
  /** 'p_value': drift when the score is small; 'distance': drift when it is large. */
  readonly scoreKind: 'p_value' | 'distance';
  readonly defaultThreshold: number;
  run(reference: SampleOf<K>, current: SampleOf<K>, threshold?: number): DriftResult;
}

/**
 * Evidently's drift rules: distances drift at or above the threshold (`ed` strictly above);
 * p-values drift below it (`ks` and `cramer_von_mises` at or below).
 */
type Direction = 'gte' | 'gt' | 'lt' | 'lte';

function isDrift(direction: Direction, score: number, threshold: number): boolean {
  switch (direction) {
    case 'gte':
      return score >= threshold;
    case 'gt':
      return score > threshold;
    case 'lt':
      return score < threshold;
    case 'lte':
      return score <= threshold;
  }
}

function checkThreshold(name: string, threshold: number): void {
  if (!Number.isFinite(threshold)) {
    throw invalidParam(`${name}: threshold is ${threshold}; expected a finite number`, {
      statistic: name,
    });
  }
}

/**
 * A NaN score would compare false against any threshold and read as "no drift"; it comes from
 * arithmetic overflow (values near ±1e308 squared or summed), so say so and stop.
 */
function checkScore(name: string, score: number): number {
  if (Number.isNaN(score)) {
    throw invalidParam(
      `${name}: the score is NaN (the values overflow double arithmetic, e.g. magnitudes near 1e300); expected a number, so the test cannot decide drift`,
      { statistic: name },
    );
  }
  return score;
}

function distanceTest<K extends ColumnKind>(
  name: string,
  kind: K,
  score: (reference: SampleOf<K>, current: SampleOf<K>) => number,
  direction: Direction = 'gte',
  defaultThreshold = 0.1,
): DriftTest<K> {
  return {
    name,
    kind,
    scoreKind: 'distance',
    defaultThreshold,
    run(reference, current, threshold = defaultThreshold) {
      checkThreshold(name, threshold);
      const statistic = checkScore(name, score(reference, current));
      return { statistic, threshold, drifted: isDrift(direction, statistic, threshold) };
    },
  };
}

/** A p-value test: the score is p (what Evidently reports), drift when p is small. */
function pValueTest<K extends ColumnKind>(
  name: string,
  kind: K,
  pValue: (reference: SampleOf<K>, current: SampleOf<K>) => { pValue: number },
  direction: 'lt' | 'lte' = 'lt',
  defaultThreshold = 0.05,
): DriftTest<K> {
  return {
    name,
    kind,
    scoreKind: 'p_value',
    defaultThreshold,
    run(reference, current, threshold = defaultThreshold) {
      checkThreshold(name, threshold);
      const statistic = checkScore(name, pValue(reference, current).pValue);
      return { statistic, threshold, drifted: isDrift(direction, statistic, threshold) };
    },
  };
}

type SharesFn = (reference: Float64Array, current: Float64Array) => number;

function numericBinned(name: string, fn: SharesFn) {
  return (reference: Float64Array, current: Float64Array) => {
    checkNumeric(name, 'reference', reference);
    checkNumeric(name, 'current', current);
    const b = binNumerical(reference, current);
    return fn(b.reference, b.current);
  };
}

function categoricalBinned(name: string, fn: SharesFn) {
  return (reference: readonly string[], current: readonly string[]) => {
    checkCategorical(name, 'reference', reference);
    checkCategorical(name, 'current', current);
    const b = binCategorical(reference, current);
    return fn(b.reference, b.current);
  };
}

/** Score functions (no threshold), for callers that want the number only. */
export const psi = numericBinned('psi', psiFromShares);
export const klDiv = numericBinned('kl_div', klDivFromShares);
export const jensenShannon = numericBinned('jensenshannon', jensenShannonFromShares);
export const psiCategorical = categoricalBinned('psi', psiFromShares);
export const klDivCategorical = categoricalBinned('kl_div', klDivFromShares);
export const jensenShannonCategorical = categoricalBinned('jensenshannon', jensenShannonFromShares);

export const wassersteinTest = distanceTest('wasserstein', 'numerical', wassersteinNormed);
export const energyDistanceTest = distanceTest('ed', 'numerical', energyDistance, 'gt');
export const psiTest = distanceTest('psi', 'numerical', psi);
export const klDivTest = distanceTest('kl_div', 'numerical', klDiv);
export const jensenShannonTest = distanceTest('jensenshannon', 'numerical', jensenShannon);
export const hellingerTest = distanceTest('hellinger', 'numerical', hellingerNumerical);
export const psiCategoricalTest = distanceTest('psi', 'categorical', psiCategorical);
export const klDivCategoricalTest = distanceTest('kl_div', 'categorical', klDivCategorical);
export const jensenShannonCategoricalTest = distanceTest(
  'jensenshannon',
  'categorical',
  jensenShannonCategorical,
);
export const hellingerCategoricalTest = distanceTest(
  'hellinger',
  'categorical',
  hellingerCategorical,
);

export const ksTest = pValueTest('ks', 'numerical', (r, c) => ksTwoSample(r, c), 'lte');
export const chiSquareTest = pValueTest('chisquare', 'categorical', chiSquareCategorical);
/** chisquare on a numerical column, one category per value (Evidently's 3–5 distinct branch). */
export const chiSquareNumericalTest = pValueTest('chisquare', 'numerical', chiSquareNumerical);
export const zTest = pValueTest('z', 'categorical', zTestCategorical);
/** z on a numerical column, first category = smallest value (Evidently's <= 2 distinct branch). */
export const zNumericalTest = pValueTest('z', 'numerical', zTestNumerical);
export const andersonTest = pValueTest('anderson', 'numerical', andersonKSample, 'lt', 0.1);
export const cramerVonMisesTest = pValueTest(
  'cramer_von_mises',
  'numerical',
  cramerVonMises,
  'lte',
  0.1,
);
/** Evidently's mannw is one-sided: alternative "less". */
export const mannWhitneyTest = pValueTest('mannw', 'numerical', (r, c) => mannWhitneyU(r, c));
export const tTestTest = pValueTest('t_test', 'numerical', tTest);

/** Every implemented test, for lookup by (name, kind). */
export const DRIFT_TESTS: readonly DriftTest[] = [
  ksTest,
  chiSquareTest,
  chiSquareNumericalTest,
  zTest,
  zNumericalTest,
  andersonTest,
  cramerVonMisesTest,
  mannWhitneyTest,
  tTestTest,
  wassersteinTest,
  energyDistanceTest,
  psiTest,
  klDivTest,
  jensenShannonTest,
  hellingerTest,
  psiCategoricalTest,
  klDivCategoricalTest,
  jensenShannonCategoricalTest,
  hellingerCategoricalTest,
] as DriftTest[];

/** The test registered under `name` for `kind`; a clear error names what exists otherwise. */
export function driftTest<K extends ColumnKind>(name: string, kind: K): DriftTest<K> {
  const found = DRIFT_TESTS.find((t) => t.name === name && t.kind === kind);
  if (!found) {
    const known = DRIFT_TESTS.filter((t) => t.kind === kind).map((t) => t.name);
    throw invalidParam(
      `unknown ${kind} drift test '${name}'; expected one of: ${known.join(', ')}`,
      { name, kind },
    );
  }
  return found as DriftTest<K>;
}
