import type { ColumnKind } from '../stats/index.js';

/**
 * Evidently's `INTEGER_CARDINALITY_LIMIT`: an integer column with at most this many distinct
 * values is categorical (its new API's `infer_column_type`).
 */
export const INTEGER_CARDINALITY_LIMIT = 10;

/**
 * The kind Evidently's `infer_column_type` gives a column. Strings are categorical. Numbers are
 * numerical unless they are integers with at most 10 distinct values. JavaScript has no integer
 * dtype, so "integer" here means every finite value is integral (a Float64Array of 0/1 flags is
 * categorical, one holding 0.5 is not); pass `perColumn[name].kind` to decide explicitly.
 *
 * @param distinct distinct finite values of the (reference) column
 * @param integral whether every finite value is an integer
 */
export function inferNumericKind(distinct: number, integral: boolean): ColumnKind {
  // No values at all reads as pandas' all-NaN float column: numerical.
  return integral && distinct > 0 && distinct <= INTEGER_CARDINALITY_LIMIT
    ? 'categorical'
    : 'numerical';
}

/** Whether every value of a sample is an integer (early exit on the first fraction). */
export function allIntegral(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i])) return false;
  return true;
}
