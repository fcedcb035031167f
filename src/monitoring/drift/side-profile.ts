import type { ColumnValues } from '../dataset.js';
import type { ColumnKind } from '../stats/index.js';
import { distinctSorted, meanStd } from '../stats/sorted-kernels.js';
import { allIntegral, inferNumericKind, INTEGER_CARDINALITY_LIMIT } from './column-kind.js';
import type { SortPool } from './sort-pool.js';

/**
 * One side (reference or current) of one column, reduced to what the tests need: missing values
 * dropped (NaN/±inf for numbers, null for labels, as Evidently drops them before testing), numbers
 * sorted once. Everything here is independent of the other side, so a reference's sides can be
 * computed once and reused for every current window.
 */
export type SideProfile = NumericSide | LabelSide;

export interface NumericSide {
  readonly type: 'numbers';
  /** Rows including missing ones. */
  readonly rows: number;
  readonly missing: number;
  /** The finite values, sorted ascending. */
  readonly sorted: Float64Array;
  readonly distinct: number;
  /** `infer_column_type` on this side's values (categorical: integral with <= 10 values). */
  readonly inferredKind: ColumnKind;
  /** Over the finite values; NaN when there are none. std is the population std (ddof 0). */
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

export interface LabelSide {
  readonly type: 'labels';
  readonly rows: number;
  readonly missing: number;
  /** The non-null labels, in row order. */
  readonly labels: readonly string[];
  readonly counts: ReadonlyMap<string, number>;
  readonly distinct: number;
  /** Set when the column holds something other than strings and nulls (the first such row). */
  readonly invalid?: string;
}

/**
 * Profiles the given columns. Numerical columns are copied without their missing values and
 * sorted; `prepareSides` splits the two steps so a caller can sort several sides' arrays at once.
 */
export async function profileSides(
  columns: ReadonlyArray<readonly [string, ColumnValues]>,
  pool: SortPool,
  side: 'reference' | 'current',
): Promise<Map<string, SideProfile>> {
  const prepared = prepareSides(columns, side);
  const names = columns.map(([name]) => name);
  return prepared.finish(await pool.sortAll(prepared.arrays, names));
}

export interface PreparedSides {
  /** The copies to sort before `finish`. */
  readonly arrays: readonly Float64Array[];
  /** The profiles, in the columns' order, from `arrays` sorted (same order). */
  finish(sorted: readonly Float64Array[]): Map<string, SideProfile>;
}

export function prepareSides(
  columns: ReadonlyArray<readonly [string, ColumnValues]>,
  side: 'reference' | 'current',
): PreparedSides {
  const labels = new Map<string, SideProfile>();
  const pending: Array<{ name: string; rows: number; missing: number; clean: Float64Array }> = [];
  for (const [name, values] of columns) {
    if (values instanceof Float64Array) {
      const { clean, missing } = finiteCopy(values);
      pending.push({ name, rows: values.length, missing, clean });
    } else {
      labels.set(name, labelSide(values, side, name));
    }
  }
  return {
    arrays: pending.map((p) => p.clean),
    finish(sorted) {
      const numbers = new Map(
        pending.map((p, i) => [p.name, numericSide(p.rows, p.missing, sorted[i]!)]),
      );
      return new Map(columns.map(([name]) => [name, (numbers.get(name) ?? labels.get(name))!]));
    },
  };
}

/** The finite values of `values` in a new array (of its own buffer, so it can be transferred). */
function finiteCopy(values: Float64Array): { clean: Float64Array; missing: number } {
  let finite = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite++;
  const clean = new Float64Array(finite);
  if (finite === values.length) clean.set(values);
  else {
    let k = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) clean[k++] = v;
    }
  }
  return { clean, missing: values.length - finite };
}

function numericSide(rows: number, missing: number, sorted: Float64Array): NumericSide {
  const distinct = distinctSorted(sorted);
  const empty = sorted.length === 0;
  const { mean, std } = empty ? { mean: NaN, std: NaN } : meanStd(sorted);
  return {
    type: 'numbers',
    rows,
    missing,
    sorted,
    distinct,
    // Integrality matters only below the cardinality limit: skip the pass otherwise.
    inferredKind: inferNumericKind(
      distinct,
      distinct <= INTEGER_CARDINALITY_LIMIT && allIntegral(sorted),
    ),
    mean,
    std,
    min: empty ? NaN : sorted[0]!,
    max: empty ? NaN : sorted[sorted.length - 1]!,
  };
}

function labelSide(
  values: readonly (string | null)[],
  side: 'reference' | 'current',
  column: string,
): LabelSide {
  if (!Array.isArray(values)) {
    // Not a column at all (undefined, another typed array, …): its column reports it.
    return {
      type: 'labels',
      rows: 0,
      missing: 0,
      labels: [],
      counts: new Map(),
      distinct: 0,
      invalid:
        `${side} column '${column}' is ${describe(values)};` +
        ` expected a Float64Array or an array of strings and nulls`,
    };
  }
  const labels: string[] = [];
  const counts = new Map<string, number>();
  let invalid: string | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as unknown;
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string') {
      invalid ??= `${side} column '${column}' row ${i} is ${describe(v)}; expected a string label or null`;
      continue;
    }
    labels.push(v);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const base = {
    type: 'labels' as const,
    rows: values.length,
    missing: values.length - labels.length,
    labels,
    counts,
    distinct: counts.size,
  };
  return invalid === undefined ? base : { ...base, invalid };
}

function describe(v: unknown): string {
  if (typeof v === 'number') return `the number ${v}`;
  if (v === undefined || v === null) return String(v);
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return `a value of type ${typeof v}`;
}
