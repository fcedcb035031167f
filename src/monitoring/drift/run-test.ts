import { DRIFT_TESTS, driftTest, type ColumnKind, type DriftTest } from '../stats/index.js';
import { MAX_DISTINCT_FOR_VALUE_BINS } from '../stats/binning.js';
import { jensenShannonFromShares, klDivFromShares, psiFromShares } from '../stats/divergences.js';
import {
  cdfDistanceSorted,
  distinctSorted,
  distinctUnionSorted,
  histogramSorted,
  sturgesEdgesOf,
  valueCountsSorted,
} from '../stats/sorted-kernels.js';
import type { LabelSide, NumericSide, SideProfile } from './side-profile.js';

/** Thrown when a test cannot run on these samples; the message says why (no column name). */
export class TestNotRunnable extends Error {}

export interface TestOutcome {
  readonly score: number;
  readonly threshold: number;
  readonly drifted: boolean;
}

export function knownTests(): string[] {
  return [...new Set(DRIFT_TESTS.map((t) => t.name))].sort();
}

/** A test as it will run: the registered implementation and which form of the data it takes. */
export interface ResolvedTest {
  readonly test: DriftTest;
  /** 'numbers': sorted finite values; 'labels': category labels (numbers become labels). */
  readonly on: 'numbers' | 'labels';
}

/**
 * The implementation of `name` for a column of `kind` holding `data`. A numerical column may run
 * a categorical-only test (chisquare, z) on its values as labels: Evidently's own default table
 * does that for numerical columns with at most 5 distinct values.
 */
export function resolveTest(
  name: string,
  kind: ColumnKind,
  data: SideProfile['type'],
): ResolvedTest {
  const find = (k: ColumnKind) => DRIFT_TESTS.find((t) => t.name === name && t.kind === k);
  if (kind === 'numerical') {
    if (data === 'labels') {
      throw new TestNotRunnable(`the column holds strings, so it cannot be numerical`);
    }
    const numerical = find('numerical');
    if (numerical) return { test: numerical, on: 'numbers' };
    const categorical = find('categorical');
    if (categorical) return { test: categorical, on: 'labels' };
  } else {
    const categorical = find('categorical');
    if (categorical) return { test: categorical, on: 'labels' };
    if (find('numerical')) {
      throw new TestNotRunnable(
        `'${name}' works on numerical columns only and this column is categorical` +
          ` (set perColumn.<column>.kind = 'numerical' or choose a categorical test)`,
      );
    }
  }
  // Unknown names are rejected when options are checked; this keeps the message if not.
  return { test: driftTest(name, kind), on: kind === 'numerical' ? 'numbers' : 'labels' };
}

/**
 * Runs a resolved test on two profiled sides. Distances whose inputs are sorted or counted
 * already (wasserstein, ed, psi, kl_div, jensenshannon) are computed here in linear passes with
 * the same formulas and drift rule as the registered test; every other test runs as registered.
 */
export function runTest(
  resolved: ResolvedTest,
  reference: SideProfile,
  current: SideProfile,
  threshold: number | undefined,
): TestOutcome {
  const { test, on } = resolved;
  const limit = threshold ?? test.defaultThreshold;
  checkRunnable(test.name, reference, current);
  const fast = on === 'numbers' ? fastNumeric(test.name, reference, current) : undefined;
  const fastLabels = on === 'labels' ? fastCategorical(test.name, reference, current) : undefined;
  const score = fast ?? fastLabels;
  if (score !== undefined) {
    const drifted = test.name === 'ed' ? score > limit : score >= limit;
    return finite(test.name, { score, threshold: limit, drifted });
  }
  const ref = on === 'numbers' ? (reference as NumericSide).sorted : labelsOf(reference);
  const cur = on === 'numbers' ? (current as NumericSide).sorted : labelsOf(current);
  const result = (test as DriftTest<ColumnKind>).run(
    ref as Float64Array & string[],
    cur as Float64Array & string[],
    limit,
  );
  return finite(test.name, {
    score: result.statistic,
    threshold: result.threshold,
    drifted: result.drifted,
  });
}

/**
 * A NaN score compares false with any threshold (a silent "no drift") and an infinite one cannot
 * be written to JSON (it comes from double arithmetic overflowing on huge values): both are errors.
 */
function finite(name: string, outcome: TestOutcome): TestOutcome {
  if (Number.isNaN(outcome.score)) {
    throw new TestNotRunnable(`'${name}' gave no score (NaN) for these values`);
  }
  if (!Number.isFinite(outcome.score)) {
    throw new TestNotRunnable(
      `'${name}' gave an infinite score: its arithmetic overflows a double on these values` +
        ` (magnitudes near 1e308); rescale the column or choose another test`,
    );
  }
  return outcome;
}

/**
 * Sample-size limits of the scipy functions behind the tests, checked up front so the report
 * says which limit was hit instead of carrying a NaN.
 */
function checkRunnable(name: string, reference: SideProfile, current: SideProfile): void {
  const nRef = valuesOf(reference);
  const nCur = valuesOf(current);
  if (nRef === 0 || nCur === 0) {
    const side = nRef === 0 ? 'reference' : 'current';
    throw new TestNotRunnable(`'${name}' needs at least one value on each side; ${side} has none`);
  }
  const both = reference.type === 'numbers' && current.type === 'numbers';
  if ((name === 'cramer_von_mises' || name === 't_test') && Math.min(nRef, nCur) < 2) {
    const side = nRef < 2 ? 'reference' : 'current';
    throw new TestNotRunnable(
      `'${name}' needs at least 2 values on each side (${
        name === 't_test'
          ? "scipy's ttest_ind: the sample variance of one value is undefined"
          : "Evidently's cvm test raises on fewer"
      }); ${side} has 1`,
    );
  }
  if (name === 'anderson' && both && distinctUnionSorted(reference.sorted, current.sorted) < 2) {
    throw new TestNotRunnable(
      `'anderson' needs at least two distinct values over both sides (scipy's anderson_ksamp` +
        ` raises otherwise); every value is ${reference.sorted[0]}`,
    );
  }
  if (name === 't_test' && both && reference.std === 0 && current.std === 0) {
    throw new TestNotRunnable(
      `'t_test' is undefined when both sides are constant (the t statistic is 0/0; scipy gives NaN)`,
    );
  }
}

function valuesOf(side: SideProfile): number {
  return side.type === 'numbers' ? side.sorted.length : side.labels.length;
}

function fastNumeric(name: string, reference: SideProfile, current: SideProfile) {
  if (reference.type !== 'numbers' || current.type !== 'numbers') return undefined;
  const ref = reference.sorted;
  const cur = current.sorted;
  switch (name) {
    case 'wasserstein': {
      // Evidently's normed distance: in units of the reference's population std, floor 0.001.
      const plain = cdfDistanceSorted(1, ref, cur) / Math.max(reference.std, 0.001);
      if (Number.isFinite(plain)) return plain;
      // Gaps between values near ±1e308 overflow; the ratio does not depend on the unit.
      const s = largestMagnitude(ref, cur);
      const distance = cdfDistanceSorted(1, scaled(ref, s), scaled(cur, s));
      return distance / (Math.max(reference.std, 0.001) / s);
    }
    case 'ed': {
      const plain = Math.SQRT2 * cdfDistanceSorted(2, ref, cur);
      if (Number.isFinite(plain)) return plain;
      // The distance scales with the square root of the unit: sqrt(∫ (U - V)² dx).
      const s = largestMagnitude(ref, cur);
      return Math.SQRT2 * cdfDistanceSorted(2, scaled(ref, s), scaled(cur, s)) * Math.sqrt(s);
    }
    case 'psi':
    case 'kl_div':
    case 'jensenshannon': {
      const [r, c] = binnedShares(ref, cur);
      return fromShares(name, r, c);
    }
    default:
      return undefined;
  }
}

function largestMagnitude(a: Float64Array, b: Float64Array): number {
  return Math.max(-a[0]!, a[a.length - 1]!, -b[0]!, b[b.length - 1]!);
}

/** A sorted sample in units of `s` (a division by a positive number keeps the order). */
function scaled(sorted: Float64Array, s: number): Float64Array {
  return sorted.map((v) => v / s);
}

function fastCategorical(name: string, reference: SideProfile, current: SideProfile) {
  if (name !== 'psi' && name !== 'kl_div' && name !== 'jensenshannon') return undefined;
  if (reference.type === 'numbers' && current.type === 'numbers') {
    const counts = valueCountsSorted(reference.sorted, current.sorted);
    return fromShares(
      name,
      shares(counts.a, reference.sorted.length),
      shares(counts.b, current.sorted.length),
    );
  }
  if (reference.type === 'labels' && current.type === 'labels') {
    const [r, c] = labelShares(reference, current);
    return fromShares(name, r, c);
  }
  return undefined;
}

function fromShares(name: 'psi' | 'kl_div' | 'jensenshannon', r: Float64Array, c: Float64Array) {
  if (name === 'psi') return psiFromShares(r, c);
  if (name === 'kl_div') return klDivFromShares(r, c);
  return jensenShannonFromShares(r, c);
}

/** Evidently's get_binned_data on sorted samples (see stats/binning.ts binNumerical). */
function binnedShares(ref: Float64Array, cur: Float64Array): [Float64Array, Float64Array] {
  if (distinctSorted(ref) > MAX_DISTINCT_FOR_VALUE_BINS) {
    const min = Math.min(ref[0]!, cur[0]!);
    const max = Math.max(ref[ref.length - 1]!, cur[cur.length - 1]!);
    const edges = sturgesEdgesOf(min, max, ref.length + cur.length);
    return [
      shares(histogramSorted(ref, edges), ref.length),
      shares(histogramSorted(cur, edges), cur.length),
    ];
  }
  const counts = valueCountsSorted(ref, cur);
  return [shares(counts.a, ref.length), shares(counts.b, cur.length)];
}

/** Shares of each side over the sorted union of labels (stats/binning.ts binCategorical). */
export function labelShares(
  reference: LabelSide,
  current: LabelSide,
): [Float64Array, Float64Array] {
  const keys = unionKeys(reference, current);
  return [
    Float64Array.from(keys, (k) => (reference.counts.get(k) ?? 0) / reference.labels.length),
    Float64Array.from(keys, (k) => (current.counts.get(k) ?? 0) / current.labels.length),
  ];
}

export function unionKeys(reference: LabelSide, current: LabelSide): string[] {
  const keys = new Set([...reference.counts.keys(), ...current.counts.keys()]);
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function shares(counts: Float64Array, n: number): Float64Array {
  return counts.map((c) => c / n);
}

/** A side's values as category labels (numbers as their decimal strings). */
function labelsOf(side: SideProfile): readonly string[] {
  if (side.type === 'labels') return side.labels;
  const out = new Array<string>(side.sorted.length);
  let label = '';
  for (let i = 0; i < side.sorted.length; i++) {
    // Sorted: one string per run of equal values, not one per row.
    if (i === 0 || side.sorted[i] !== side.sorted[i - 1]) label = String(side.sorted[i]);
    out[i] = label;
  }
  return out;
}
