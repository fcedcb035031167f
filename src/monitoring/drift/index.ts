/** Data drift: column typing, Evidently's test selection, per-column tests, dataset drift share. */
export { computeDataDrift, DEFAULT_DRIFT_SHARE } from './compute-data-drift.js';
export {
  isReferenceProfile,
  profileReference,
  type ProfileOptions,
  type ReferenceProfile,
} from './reference-profile.js';
export type { LabelSide, NumericSide, SideProfile } from './side-profile.js';
export { inferNumericKind, INTEGER_CARDINALITY_LIMIT } from './column-kind.js';
export { chooseTest, defaultTest, SMALL_REFERENCE_ROWS, type TestChoice } from './select-test.js';
export { DISTRIBUTION_BINS } from './distribution.js';
export type {
  ColumnDistribution,
  ColumnDrift,
  ColumnDriftSpec,
  ColumnSideSummary,
  DataDriftResult,
  DriftOptions,
} from './drift-types.js';
