import { describe, expect, it } from 'vitest';
import { tableWindows, type Table } from './table-windows.js';

const table = (columns: Table['columns'], rows: unknown[][]): Table => ({
  columns,
  rows,
  field: 't',
  cell: (r, c) => (c < 0 ? `t[${r}]` : `t[${r}][${c}]`),
});
const rows = (windows: Float64Array[]) => windows.map((w) => Array.from(w));

describe('tableWindows', () => {
  it('reads one window per row, in column order', () => {
    expect(
      rows(
        tableWindows(
          table(
            ['a', 'b', 'c'],
            [
              [1, 2, 3],
              [4, 5, 6],
            ],
          ),
          3,
        ),
      ),
    ).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('puts integer-named columns (pandas defaults, as numbers or strings) in numeric order', () => {
    expect(rows(tableWindows(table([2, 0, 1], [[3, 1, 2]]), 3))).toEqual([[1, 2, 3]]);
    expect(rows(tableWindows(table(['2', '0', '1'], [[3, 1, 2]]), 3))).toEqual([[1, 2, 3]]);
  });

  it('reads a single close column as one series', () => {
    const t = table(['Close'], [[1], [2], [3], [4]]);
    expect(rows(tableWindows(t, 3))).toEqual([[2, 3, 4]]);
    expect(rows(tableWindows(table(undefined, [[1], [2], [3]]), 3))).toEqual([[1, 2, 3]]);
  });

  it('names the cell or table that is wrong', () => {
    expect(() => tableWindows(table(['a', 'b', 'c'], [[1, 2, 'x']]), 3)).toThrow(/'t\[0\]\[2\]'/);
    expect(() => tableWindows(table(['a', 'b'], [[1, 2]]), 3)).toThrow(/rows of 3 closes/);
    expect(() =>
      tableWindows(
        table(
          ['a', 'b', 'c'],
          [
            [1, 2, 3],
            [1, 2],
          ],
        ),
        3,
      ),
    ).toThrow(/'t\[1\]'/);
    expect(() => tableWindows(table(['close'], [[1], [2]]), 3)).toThrow(/at least 3 closes/);
    expect(() => tableWindows(table(['a', 'b', 'c'], []), 3)).toThrow(/at least one row/);
  });
});
