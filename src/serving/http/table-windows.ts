import { fieldError, price } from './field-checks.js';

/** Column names that mark a single column of closes (one series, not one window per row). */
const SERIES_COLUMNS = ['close', 'closes', 'adj close', 'adj_close', 'price', 'prices'];

export interface Table {
  /** Column names as sent (pandas gives integers for a frame built from an array). */
  readonly columns: readonly (string | number)[] | undefined;
  /** Rows, each as long as `columns`. */
  readonly rows: readonly (readonly unknown[])[];
  /** How to name cell (row, column) in an error: `dataframe_split.data[2][5]`, `CSV line 4, column 6`. */
  readonly cell: (row: number, column: number) => string;
  /** How to name the table itself in an error. */
  readonly field: string;
}

/**
 * The windows a tabular payload describes (MLflow's `dataframe_split`, `dataframe_records`, CSV):
 *
 * - one row per window, `window` columns of closes, oldest first. When every column name is a
 *   whole number (pandas' default names 0..window-1, what `mlflow`'s client sends for a DataFrame
 *   built from an array), columns are put in numeric order; otherwise they are taken as sent;
 * - or one column named like a close (`close`, `Close`, `price`, ...), or a single unnamed column,
 *   holding one series of at least `window` closes: one prediction, from its last `window` values.
 */
export function tableWindows(table: Table, window: number): Float64Array[] {
  const { columns, rows } = table;
  const width = columns?.length ?? rows[0]?.length ?? 0;
  rows.forEach((row, i) => {
    if (row.length !== width) {
      throw fieldError(
        table.cell(i, -1),
        `${width} values like the other rows${columns ? ' and the columns' : ''}`,
        row,
      );
    }
  });
  if (rows.length === 0) throw fieldError(table.field, 'at least one row of closes', rows);
  const named = columns?.[0];
  const seriesColumn =
    width === 1 &&
    window > 1 &&
    (named === undefined ||
      (typeof named === 'string' && SERIES_COLUMNS.includes(named.toLowerCase())));
  if (seriesColumn) {
    if (rows.length < window) {
      throw fieldError(
        table.field,
        `at least ${window} closes in its single column (one series, oldest first)`,
        rows,
      );
    }
    const closes = rows.map((row, i) => price(row[0], table.cell(i, 0)));
    return [Float64Array.from(closes.slice(-window))];
  }
  if (width !== window) {
    throw fieldError(
      table.field,
      `rows of ${window} closes (one window per row, oldest first) or a single "close" column; the rows have ${width} values`,
    );
  }
  const order = columnOrder(columns, width);
  return rows.map((row, i) => Float64Array.from(order, (c) => price(row[c], table.cell(i, c))));
}

/** Source column for each window position. */
function columnOrder(columns: Table['columns'], width: number): number[] {
  const identity = Array.from({ length: width }, (_, i) => i);
  if (!columns) return identity;
  const positions = columns.map((c) =>
    typeof c === 'number' ? c : /^\d+$/.test(c) ? Number(c) : NaN,
  );
  const isPermutation =
    positions.every((p) => Number.isInteger(p) && p >= 0 && p < width) &&
    new Set(positions).size === width;
  if (!isPermutation) return identity;
  const order = new Array<number>(width);
  positions.forEach((p, source) => (order[p] = source));
  return order;
}
