import { MlopsError } from '../../core/index.js';
import { DRIFT_TESTS, type ColumnKind } from '../stats/index.js';
import { distinctUnionSorted } from '../stats/sorted-kernels.js';
import { columnDistribution, sideSummary } from './distribution.js';
import type { ColumnDistribution, ColumnDrift, DriftOptions } from './drift-types.js';
import { resolveTest, runTest, TestNotRunnable } from './run-test.js';
import { chooseTest } from './select-test.js';
import type { LabelSide, SideProfile } from './side-profile.js';

/**
 * One column's drift: kind, test choice, the test itself and what the report draws. Never
 * throws on bad data: anything that keeps the test from running becomes `status: 'error'` with a
 * `problem` naming the column, the test and the reason.
 *
 * @param current undefined when the column is missing in current data (`missingReason` says so)
 */
export function columnDrift(
  column: string,
  reference: SideProfile,
  current: SideProfile | undefined,
  options: DriftOptions,
  missingReason: string,
): ColumnDrift {
  const kind = columnKind(column, reference, options);
  const referenceValues = valueCount(reference);
  const choice = chooseTest(
    column,
    kind,
    referenceValues,
    distinctOver(reference, current),
    options,
  );
  const registered = DRIFT_TESTS.find((t) => t.name === choice.test);
  const base = {
    column,
    kind,
    test: choice.test,
    scoreKind: registered?.scoreKind ?? ('distance' as const),
    selectedBy: choice.selectedBy,
    reference: sideSummary(reference),
    current: sideSummary(current),
  };
  const fail = (reason: string, drawn?: ColumnDistribution): ColumnDrift => ({
    ...base,
    status: 'error',
    score: null,
    threshold: choice.threshold ?? registered?.defaultThreshold ?? NaN,
    drifted: false,
    problem: `column '${column}': test '${choice.test}' could not run: ${reason}`,
    ...(drawn ? { distribution: drawn } : {}),
  });
  if (!current) return fail(missingReason);
  const why = dataProblem(reference, current);
  if (why) return fail(why);
  // Drawn whenever both sides have values, also when the test itself cannot run on them.
  const distribution = columnDistribution(kind, reference, current);
  try {
    const resolved = resolveTest(choice.test, kind, reference.type);
    const outcome = runTest(resolved, reference, current, choice.threshold);
    return {
      ...base,
      scoreKind: resolved.test.scoreKind,
      status: 'ok',
      score: outcome.score,
      threshold: outcome.threshold,
      drifted: outcome.drifted,
      ...(distribution ? { distribution } : {}),
    };
  } catch (error) {
    if (error instanceof TestNotRunnable || MlopsError.is(error)) {
      return fail(error.message, distribution);
    }
    // Anything else is a bug in a test; still report it on the column rather than crash.
    const message = error instanceof Error ? error.message : String(error);
    return fail(`unexpected error: ${message}`, distribution);
  }
}

/** The kind: `perColumn[column].kind`, else strings are categorical, numbers as inferred. */
function columnKind(column: string, reference: SideProfile, options: DriftOptions): ColumnKind {
  const forced = options.perColumn?.[column]?.kind;
  if (forced) return forced;
  return reference.type === 'labels' ? 'categorical' : reference.inferredKind;
}

function valueCount(side: SideProfile): number {
  return side.type === 'numbers' ? side.sorted.length : side.labels.length;
}

/**
 * Distinct non-missing values over both sides (the reference's alone when current is unusable).
 * The table only asks whether it is above 5, 3..5 or up to 2, so when one side alone has more
 * than 5 its own count answers without a merge of the two sides.
 */
function distinctOver(reference: SideProfile, current: SideProfile | undefined): number {
  if (reference.type === 'numbers' && current?.type === 'numbers') {
    const larger = Math.max(reference.distinct, current.distinct);
    return larger > 5 ? larger : distinctUnionSorted(reference.sorted, current.sorted);
  }
  if (reference.type === 'labels' && current?.type === 'labels') {
    let extra = 0;
    for (const key of current.counts.keys()) if (!reference.counts.has(key)) extra++;
    return reference.distinct + extra;
  }
  return reference.distinct;
}

/** Whether every label (there is at least one) reads as a finite number. */
function looksNumeric(side: LabelSide): boolean {
  return (
    side.labels.length > 0 &&
    side.labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)))
  );
}

/** Why the data keeps any test from running, or undefined when both sides are usable. */
function dataProblem(reference: SideProfile, current: SideProfile): string | undefined {
  if (reference.type === 'labels' && reference.invalid) return reference.invalid;
  if (current.type === 'labels' && current.invalid) return current.invalid;
  if (reference.type !== current.type) {
    const what = (s: SideProfile) => (s.type === 'numbers' ? 'numbers (Float64Array)' : 'strings');
    const strings = reference.type === 'labels' ? reference : (current as LabelSide);
    const hint = looksNumeric(strings)
      ? `; the ${strings === reference ? "reference's" : "current data's"} strings look like` +
        ` numbers: parse them into a Float64Array (NaN for missing values)`
      : '; expected the same type on both sides';
    return `the reference holds ${what(reference)} but current data holds ${what(current)}${hint}`;
  }
  for (const [name, side] of [
    ['reference', reference],
    ['current', current],
  ] as const) {
    if (valueCount(side) > 0) continue;
    if (side.rows === 0) return `${name} data has no rows`;
    const missing = side.type === 'numbers' ? 'NaN/±inf' : 'null';
    return `all ${side.rows} ${name} values are missing (${missing}); nothing to compare`;
  }
  return undefined;
}
