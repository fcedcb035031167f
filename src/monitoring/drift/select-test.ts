import type { ColumnKind } from '../stats/index.js';
import type { ColumnDrift, DriftOptions } from './drift-types.js';

/** Evidently picks p-value tests up to this many (cleaned) reference rows, distances above. */
export const SMALL_REFERENCE_ROWS = 1000;

/**
 * Evidently's `_get_default_stattest` table. `referenceRows` counts the reference's non-missing
 * values; `distinct` counts distinct non-missing values over reference and current combined.
 *
 * | kind        | distinct | reference <= 1000 | > 1000        |
 * |-------------|----------|-------------------|---------------|
 * | numerical   | > 5      | ks                | wasserstein   |
 * | numerical   | 3..5     | chisquare         | jensenshannon |
 * | numerical   | <= 2     | z                 | jensenshannon |
 * | categorical | > 2      | chisquare         | jensenshannon |
 * | categorical | <= 2     | z                 | jensenshannon |
 */
export function defaultTest(kind: ColumnKind, referenceRows: number, distinct: number): string {
  const small = referenceRows <= SMALL_REFERENCE_ROWS;
  if (kind === 'numerical' && distinct > 5) return small ? 'ks' : 'wasserstein';
  if (!small) return 'jensenshannon';
  return distinct > 2 ? 'chisquare' : 'z';
}

export interface TestChoice {
  readonly test: string;
  readonly selectedBy: ColumnDrift['selectedBy'];
  /** The configured threshold, or undefined for the test's own default. */
  readonly threshold: number | undefined;
}

/**
 * The test and threshold for one column. Precedence, as Evidently's per_column_method >
 * cat/num_method > method > default: `perColumn[column]`, then `numericalTest` /
 * `categoricalTest`, then `test`, then the default table. Thresholds resolve the same way on
 * their own (a column threshold applies to a kind- or default-selected test too).
 */
export function chooseTest(
  column: string,
  kind: ColumnKind,
  referenceRows: number,
  distinct: number,
  options: DriftOptions,
): TestChoice {
  const spec = options.perColumn?.[column];
  const byKind = kind === 'numerical' ? options.numericalTest : options.categoricalTest;
  const thresholdByKind =
    kind === 'numerical' ? options.numericalThreshold : options.categoricalThreshold;
  const threshold = spec?.threshold ?? thresholdByKind ?? options.threshold;
  if (spec?.test !== undefined) return { test: spec.test, selectedBy: 'column', threshold };
  if (byKind !== undefined) return { test: byKind, selectedBy: 'kind', threshold };
  if (options.test !== undefined) return { test: options.test, selectedBy: 'global', threshold };
  return { test: defaultTest(kind, referenceRows, distinct), selectedBy: 'default', threshold };
}
