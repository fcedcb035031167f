import type { ColumnKind } from '../stats/index.js';

/** Per-column overrides, as Evidently's per_column_method / per_column_threshold. */
export interface ColumnDriftSpec {
  /** Force the column type instead of inferring it. */
  readonly kind?: ColumnKind;
  /** Stat test name (ks, wasserstein, psi, …) instead of the default selection. */
  readonly test?: string;
  readonly threshold?: number;
}

/** Options of a data drift computation; every field optional, defaults as Evidently's. */
export interface DriftOptions {
  /** Columns to test; default every reference column. */
  readonly columns?: readonly string[];
  /** One test for every column (Evidently `method`), or per kind. */
  readonly test?: string;
  readonly numericalTest?: string;
  readonly categoricalTest?: string;
  /** One threshold for every column, or per kind. */
  readonly threshold?: number;
  readonly numericalThreshold?: number;
  readonly categoricalThreshold?: number;
  readonly perColumn?: Readonly<Record<string, ColumnDriftSpec>>;
  /** Dataset drift when drifted / tested >= driftShare. Default 0.5. */
  readonly driftShare?: number;
  /** Worker threads for large inputs; 0 = compute in this thread. Default: chosen by size. */
  readonly workers?: number;
}

/** What a chart needs to draw reference vs current for one column. */
export type ColumnDistribution =
  | {
      readonly type: 'histogram';
      /** Bin edges shared by both sides (10 equal bins over the combined range, as Evidently's plots). */
      readonly edges: readonly number[];
      /** Shares of each side's (non-missing) rows per bin, each summing to 1. */
      readonly reference: readonly number[];
      readonly current: readonly number[];
    }
  | {
      readonly type: 'categories';
      readonly categories: readonly string[];
      readonly reference: readonly number[];
      readonly current: readonly number[];
    };

export interface ColumnSideSummary {
  /** Rows including missing ones. */
  readonly rows: number;
  /** Missing (NaN / ±inf / null) values, dropped before the test as Evidently does. */
  readonly missing: number;
  /** Numerical only: over the finite values. */
  readonly mean?: number;
  readonly std?: number;
  readonly min?: number;
  readonly max?: number;
  /** Distinct non-missing values. */
  readonly distinct: number;
}

/** One column's drift result. `status: 'error'` when the test could not run; `problem` says why. */
export interface ColumnDrift {
  readonly column: string;
  readonly kind: ColumnKind;
  /** The test chosen (or configured) and whether its score is a p-value or a distance. */
  readonly test: string;
  readonly scoreKind: 'p_value' | 'distance';
  /** Why this test: 'default' (Evidently's table), 'column', 'kind' or 'global' override. */
  readonly selectedBy: 'default' | 'column' | 'kind' | 'global';
  readonly status: 'ok' | 'error';
  /** null when status is 'error'. */
  readonly score: number | null;
  readonly threshold: number;
  /** false when status is 'error' (and the column is then not counted as tested). */
  readonly drifted: boolean;
  readonly problem?: string;
  readonly reference: ColumnSideSummary;
  readonly current: ColumnSideSummary;
  /** Absent when there is nothing to draw (e.g. a side has no values). */
  readonly distribution?: ColumnDistribution;
}

export interface DataDriftResult {
  readonly columns: readonly ColumnDrift[];
  /** Columns whose test ran. */
  readonly testedColumns: number;
  readonly driftedColumns: number;
  /** drifted / tested; 0 when nothing could be tested. */
  readonly driftedShare: number;
  readonly driftShare: number;
  /** share >= driftShare, and false (with `problems`) when no column could be tested. */
  readonly datasetDrift: boolean;
  /** Dataset-level problems (no column could be tested, empty side, …). */
  readonly problems: readonly string[];
}
