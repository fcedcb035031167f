import { invalidParam } from '../../core/index.js';
import { binCategorical, binNumerical } from './binning.js';
import { energyDistance, wassersteinNormed } from './cdf-distance.js';
import { jensenShannonFromShares, klDivFromShares, psiFromShares } from './divergences.js';
import { hellingerCategorical, hellingerNumerical } from './hellinger.js';
import { checkCategorical, checkNumeric } from './samples.js';

export type ColumnKind = 'numerical' | 'categorical';
/** Numerical columns arrive as Float64Array, categorical ones as string labels. */
export type SampleOf<K extends ColumnKind> = K extends 'numerical'
  ? Float64Array
  : readonly string[];

export interface DriftResult {
  /** The test's score (a distance here; p-value tests will report p). */
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
  readonly defaultThreshold: number;
  run(reference: SampleOf<K>, current: SampleOf<K>, threshold?: number): DriftResult;
}

/** Evidently's rule for distances: drift at or above the threshold (`ed` uses strictly above). */
type Direction = 'gte' | 'gt';

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
    defaultThreshold,
    run(reference, current, threshold = defaultThreshold) {
      if (!Number.isFinite(threshold)) {
        throw invalidParam(`${name}: threshold is ${threshold}; expected a finite number`, {
          statistic: name,
        });
      }
      const statistic = score(reference, current);
      const drifted = direction === 'gt' ? statistic > threshold : statistic >= threshold;
      return { statistic, threshold, drifted };
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

/** Every implemented test, for lookup by (name, kind). */
export const DRIFT_TESTS: readonly DriftTest[] = [
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
