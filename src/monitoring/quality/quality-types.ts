import type { ColumnKind } from '../stats/index.js';

export interface ColumnQuality {
  readonly column: string;
  readonly kind: ColumnKind;
  /** Current rows with a missing value, and their share of current rows. */
  readonly missing: number;
  readonly missingShare: number;
  /** Reference missing share, for comparison. */
  readonly referenceMissingShare: number;
  /** Numerical: current finite values outside [reference min, reference max]. */
  readonly outOfRange?: number;
  readonly outOfRangeShare?: number;
  readonly referenceRange?: readonly [number, number];
  readonly min?: number;
  readonly max?: number;
  readonly mean?: number;
  /** Categorical: current labels never seen in the reference. */
  readonly newCategories?: readonly string[];
  /**
   * Categorical: how many distinct labels are new (`newCategories` lists at most the 100 most
   * frequent), the current rows holding one, and their share of all current rows — Evidently's
   * "share of out-of-list values" (its denominator counts missing rows too).
   */
  readonly newCategoryCount?: number;
  readonly outOfList?: number;
  readonly outOfListShare?: number;
  /** Every current value is the same (or all missing). */
  readonly constant: boolean;
  /** The most frequent current value fills >= 95 % of current rows (Evidently's default). */
  readonly almostConstant?: boolean;
}

export interface SchemaViolation {
  readonly column: string;
  readonly problem: 'missing_in_current' | 'unexpected_in_current' | 'type_mismatch';
  readonly expected?: string;
  readonly actual?: string;
  readonly message: string;
}

/** A problem the application's data contract found in the current data (e.g. the price window). */
export interface ContractViolation {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Where: a row label, date or field, when the contract knows it. */
  readonly where?: string;
}

export interface DataQualityResult {
  readonly referenceRows: number;
  readonly currentRows: number;
  readonly columns: readonly ColumnQuality[];
  readonly schema: readonly SchemaViolation[];
  readonly contract: readonly ContractViolation[];
  /** Share of current cells missing over the monitored columns. */
  readonly missingShare: number;
  /**
   * What could not be checked and why (empty current data, a column with no reference values,
   * a listed column the reference lacks, …), in words for the report.
   */
  readonly problems?: readonly string[];
}
