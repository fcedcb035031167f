/**
 * The tables monitoring compares. Columns, not rows: a numerical column is a Float64Array (NaN
 * marks a missing value), a categorical one an array of labels (null marks a missing value).
 * Every column of a dataset has `rows` entries.
 */
export type ColumnValues = Float64Array | readonly (string | null)[];

export interface MonitorDataset {
  readonly rows: number;
  readonly columns: Readonly<Record<string, ColumnValues>>;
}
