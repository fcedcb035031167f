import type { LineChart } from './line-chart-svg.js';
import type { PlotOptions } from '../spec/index.js';
import type { PlotTable } from './plot-file.js';

/** One revision's table, with the colour and name it is drawn under. */
export interface RevisionTable {
  readonly rev: string;
  /** The file and revision, as messages name them. */
  readonly shown: string;
  readonly colour: string;
  readonly table: PlotTable;
}

export interface PlotCharts {
  /** The x column; null: the row index. */
  readonly x: string | null;
  readonly y: readonly string[];
  readonly charts: readonly LineChart[];
  /** Revisions whose table lacks a column a chart needs. */
  readonly problems: readonly { readonly rev: string; readonly message: string }[];
}

/**
 * The charts of one plot file: per y column, one series per revision, overlaid. x defaults to a
 * `step` column, else `date`, else the first of several columns, else the row index; y to every
 * numeric column but x. The `scatter` template draws dots; every other template draws lines.
 */
export function plotCharts(
  path: string,
  tables: readonly RevisionTable[],
  options: PlotOptions = {},
): PlotCharts {
  const columns = [...new Set(tables.flatMap((t) => t.table.columns))];
  const x = options.x ?? defaultX(columns);
  const cells = (column: string) => tables.flatMap((t) => t.table.rows.map((r) => r[column]));
  const xKind = x === null ? 'index' : axisKind(cells(x));
  const y = options.y ?? columns.filter((c) => c !== x && isNumericColumn(cells(c)));
  const problems: { rev: string; message: string }[] = [];
  for (const t of tables) {
    const has = t.table.columns.map((c) => `'${c}'`).join(', ') || 'none';
    for (const column of [...(x === null ? [] : [x]), ...y]) {
      if (t.table.columns.includes(column)) continue;
      problems.push({
        rev: t.rev,
        message: `${t.shown} has no column '${column}' (its columns: ${has})`,
      });
    }
  }
  const xValue = (row: Readonly<Record<string, unknown>>, index: number): number =>
    x === null || xKind === 'index'
      ? index
      : xKind === 'time'
        ? Date.parse(String(row[x]))
        : (toNumber(row[x]) ?? NaN);
  const charts = y.map((column): LineChart => ({
    title: y.length > 1 ? `${options.title ?? path}: ${column}` : (options.title ?? path),
    xLabel: options.xLabel ?? (x === null ? 'row' : xKind === 'index' ? `${x} (row order)` : x),
    yLabel: options.yLabel ?? column,
    xTime: xKind === 'time',
    scatter: options.template === 'scatter',
    series: tables
      .filter(
        (t) => t.table.columns.includes(column) && (x === null || t.table.columns.includes(x)),
      )
      .map((t) => ({
        label: t.rev,
        colour: t.colour,
        points: sortedByX(
          t.table.rows.map((r, i) => [xValue(r, i), toNumber(r[column])] as const),
          options.template !== 'scatter',
        ),
      })),
  }));
  return { x, y, charts, problems };
}

function defaultX(columns: readonly string[]): string | null {
  const named = (word: string) => columns.find((c) => c.toLowerCase() === word);
  return named('step') ?? named('date') ?? (columns.length > 1 ? (columns[0] ?? null) : null);
}

function axisKind(cells: readonly unknown[]): 'number' | 'time' | 'index' {
  const present = cells.filter((c) => c !== undefined && c !== null && c !== '');
  if (present.length === 0) return 'index';
  if (present.every((c) => toNumber(c) !== null)) return 'number';
  if (
    present.every(
      (c) =>
        typeof c === 'string' && /^\d{4}-\d{2}-\d{2}/.test(c) && Number.isFinite(Date.parse(c)),
    )
  )
    return 'time';
  return 'index';
}

function isNumericColumn(cells: readonly unknown[]): boolean {
  const present = cells.filter((c) => c !== undefined && c !== null && c !== '');
  return present.length > 0 && present.every((c) => toNumber(c) !== null);
}

/** A cell as a number: numbers, and strings that are numbers (`NaN` included); else null. */
function toNumber(cell: unknown): number | null {
  if (typeof cell === 'number') return cell;
  if (typeof cell !== 'string' || cell.trim() === '') return null;
  const n = Number(cell);
  return Number.isNaN(n) && cell.trim() !== 'NaN' ? null : n;
}

/** Points with an x, in x order for lines (as Vega-Lite draws them); a null y breaks a line. */
function sortedByX(
  points: (readonly [number, number | null])[],
  sort: boolean,
): (readonly [number, number | null])[] {
  const drawable = points.filter(([x]) => Number.isFinite(x));
  return sort ? drawable.sort((p, q) => p[0] - q[0]) : drawable;
}
