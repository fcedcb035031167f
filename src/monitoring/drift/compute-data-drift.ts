import type { ColumnValues, MonitorDataset } from '../dataset.js';
import { columnDrift } from './column-drift.js';
import { checkDriftOptions } from './drift-options.js';
import type { ColumnDrift, DataDriftResult, DriftOptions } from './drift-types.js';
import { isReferenceProfile, type ReferenceProfile } from './reference-profile.js';
import { prepareSides } from './side-profile.js';
import { defaultWorkers, withSortPool } from './sort-pool.js';

/** Evidently's `drift_share`: dataset drift when at least half the tested columns drift. */
export const DEFAULT_DRIFT_SHARE = 0.5;

/**
 * Data drift between a reference (a dataset, or its profile from `profileReference`) and a
 * current window, as Evidently's DataDriftPreset computes it: per column, missing values dropped,
 * the default test from its table unless configured, score and drift decision; dataset drift
 * when drifted / tested >= driftShare.
 *
 * Bad data never throws and never passes for "no drift": a column that cannot be tested gets
 * `status: 'error'` and a `problem`, and when nothing could be tested `datasetDrift` is false
 * with a dataset-level problem saying so. Bad options (an unknown column or test name) throw an
 * `INVALID_PARAMETER_VALUE` MlopsError naming what exists.
 *
 * @example
 * const profile = await profileReference(reference); // once
 * const result = await computeDataDrift(profile, window); // per window
 */
export async function computeDataDrift(
  reference: MonitorDataset | ReferenceProfile,
  current: MonitorDataset,
  options: DriftOptions = {},
): Promise<DataDriftResult> {
  const given = isReferenceProfile(reference) ? reference : undefined;
  const dataset = isReferenceProfile(reference) ? undefined : reference;
  const referenceNames = given ? [...given.columns.keys()] : Object.keys(dataset!.columns);
  checkDriftOptions(options, referenceNames);
  // A column listed twice is tested once (twice would count it twice in the drift share).
  const names = [...new Set(options.columns ?? referenceNames)];

  const present = (n: string) => Object.hasOwn(current.columns, n);
  const total =
    sizeOf(names.filter(present).map((n) => current.columns[n]!)) +
    (dataset ? sizeOf(names.map((n) => dataset.columns[n]!)) : 0);
  const workers = options.workers ?? defaultWorkers(total);
  const currentNames = Object.keys(current.columns);
  const missingReason = `the column is missing in current data (current columns: ${
    currentNames.join(', ') || 'none'
  })`;

  // Columns go through in batches of one per thread: every thread has a column to sort, and only
  // a batch's sorted copies are alive at once (peak memory stays near the input's own size).
  const columns: ColumnDrift[] = [];
  await withSortPool(workers, async (pool) => {
    for (let start = 0; start < names.length; start += workers + 1) {
      const batch = names.slice(start, start + workers + 1);
      const refPrepared =
        dataset &&
        prepareSides(
          batch.map((n) => [n, dataset.columns[n]!] as const),
          'reference',
        );
      const curPrepared = prepareSides(
        batch.filter(present).map((n) => [n, current.columns[n]!] as const),
        'current',
      );
      const refArrays = refPrepared?.arrays ?? [];
      const sorted = await pool.sortAll([...refArrays, ...curPrepared.arrays], batch);
      const refSides = refPrepared?.finish(sorted.slice(0, refArrays.length)) ?? given!.columns;
      const curSides = curPrepared.finish(sorted.slice(refArrays.length));
      for (const name of batch) {
        columns.push(
          columnDrift(name, refSides.get(name)!, curSides.get(name), options, missingReason),
        );
      }
    }
  });
  const referenceLengths = names.map(
    (n) => [n, given ? given.columns.get(n)!.rows : lengthOf(dataset!.columns[n])] as const,
  );
  const currentLengths = names
    .filter(present)
    .map((n) => [n, lengthOf(current.columns[n])] as const);
  return summarize(columns, options.driftShare ?? DEFAULT_DRIFT_SHARE, {
    referenceRows: (given ?? dataset!).rows,
    currentRows: current.rows,
    extra: currentNames.filter((n) => !referenceNames.includes(n)),
    mismatched: [
      ...mismatches('reference', referenceLengths, (given ?? dataset!).rows),
      ...mismatches('current', currentLengths, current.rows),
    ],
  });
}

function sizeOf(columns: readonly ColumnValues[]): number {
  return columns.reduce((n, v) => n + (v instanceof Float64Array ? v.length : 0), 0);
}

/** A column's length; undefined for a value that is not an array (its column reports that). */
function lengthOf(values: unknown): number | undefined {
  return values instanceof Float64Array || Array.isArray(values) ? values.length : undefined;
}

/**
 * Columns whose length is not the dataset's `rows` break the dataset contract; each column is
 * still tested on its own values, and the report says which lengths disagree.
 */
function mismatches(
  side: 'reference' | 'current',
  lengths: ReadonlyArray<readonly [string, number | undefined]>,
  rows: number,
): string[] {
  return lengths
    .filter(([, length]) => length !== undefined && length !== rows)
    .map(
      ([n, length]) =>
        `${side} column '${n}' has ${length} values but the dataset has rows = ${rows}`,
    );
}

function summarize(
  columns: ColumnDrift[],
  driftShare: number,
  context: { referenceRows: number; currentRows: number; extra: string[]; mismatched: string[] },
): DataDriftResult {
  const tested = columns.filter((c) => c.status === 'ok');
  const drifted = tested.filter((c) => c.drifted).length;
  const share = tested.length > 0 ? drifted / tested.length : 0;
  const problems: string[] = [...context.mismatched];
  if (context.referenceRows === 0) problems.push('reference data has no rows');
  if (context.currentRows === 0) problems.push('current data has no rows');
  const failed = columns.filter((c) => c.status === 'error').map((c) => c.column);
  if (failed.length > 0) {
    problems.push(
      `${failed.length} of ${columns.length} columns could not be tested (see each column's problem): ${failed.join(', ')}`,
    );
  }
  if (tested.length === 0) {
    problems.push(
      columns.length === 0
        ? 'no columns to test, so dataset drift is unknown; it is reported as false'
        : 'no column could be tested, so dataset drift is unknown; it is reported as false',
    );
  }
  if (context.extra.length > 0) {
    problems.push(
      `current data has columns the reference lacks (not tested): ${context.extra.join(', ')}`,
    );
  }
  return {
    columns,
    testedColumns: tested.length,
    driftedColumns: drifted,
    driftedShare: share,
    driftShare,
    datasetDrift: tested.length > 0 && share >= driftShare,
    problems,
  };
}
