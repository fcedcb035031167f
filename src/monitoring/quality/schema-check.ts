import { invalidParam } from '../../core/index.js';
import type { ColumnValues, MonitorDataset } from '../dataset.js';
import { describeRepresentation, representationOf } from './column-values.js';
import type { SchemaViolation } from './quality-types.js';

/** A column present on both sides with the same representation: its values can be compared. */
export interface ComparableColumn {
  readonly column: string;
  readonly reference: ColumnValues;
  readonly current: ColumnValues;
}

export interface SchemaCheck {
  readonly comparable: readonly ComparableColumn[];
  readonly violations: readonly SchemaViolation[];
  readonly problems: readonly string[];
}

/**
 * Compares the current columns with the reference's. Monitored columns are `listed` or else
 * every reference column; a current column the reference lacks is reported only when no list
 * was given (a list means the caller chose what to watch, and may pass more).
 */
export function checkSchema(
  reference: MonitorDataset,
  current: MonitorDataset,
  listed?: readonly string[],
): SchemaCheck {
  const comparable: ComparableColumn[] = [];
  const violations: SchemaViolation[] = [];
  const problems: string[] = [];
  const has = (d: MonitorDataset, c: string) => Object.hasOwn(d.columns, c);

  for (const column of listed ?? Object.keys(reference.columns)) {
    if (!has(reference, column)) {
      problems.push(
        `column '${column}' is listed for monitoring but the reference has no such column; expected one of ${nameList(Object.keys(reference.columns))}`,
      );
      continue;
    }
    const ref = reference.columns[column]!;
    const expected = describeRepresentation(representationOf(ref));
    if (!has(current, column)) {
      violations.push({
        column,
        problem: 'missing_in_current',
        expected,
        message: `column '${column}' is in the reference but not in the current data; expected ${expected}`,
      });
      continue;
    }
    const cur = current.columns[column]!;
    if (representationOf(cur) !== representationOf(ref)) {
      const actual = describeRepresentation(representationOf(cur));
      violations.push({
        column,
        problem: 'type_mismatch',
        expected,
        actual,
        message: `column '${column}' holds ${actual} in the current data but ${expected} in the reference; expected ${expected}`,
      });
      continue;
    }
    comparable.push({ column, reference: ref, current: cur });
  }

  if (!listed) {
    for (const column of Object.keys(current.columns)) {
      if (has(reference, column)) continue;
      violations.push({
        column,
        problem: 'unexpected_in_current',
        actual: describeRepresentation(representationOf(current.columns[column]!)),
        message: `column '${column}' is in the current data but not in the reference; expected only the reference's columns (${nameList(Object.keys(reference.columns))})`,
      });
    }
  }
  return { comparable, violations, problems };
}

/** Rejects a dataset that breaks its own shape (a bug in the caller, not a data problem). */
export function checkDatasetShape(side: 'reference' | 'current', dataset: MonitorDataset): void {
  if (!Number.isInteger(dataset.rows) || dataset.rows < 0) {
    throw invalidParam(
      `${side} dataset: rows is ${dataset.rows}; expected a non-negative integer`,
      { side },
    );
  }
  for (const [column, values] of Object.entries(dataset.columns)) {
    if (!(values instanceof Float64Array) && !Array.isArray(values)) {
      throw invalidParam(
        `${side} column '${column}' is neither a Float64Array nor an array of labels`,
        { side, column },
      );
    }
    if (values.length !== dataset.rows) {
      throw invalidParam(
        `${side} column '${column}' has ${values.length} values but the dataset has ${dataset.rows} rows; expected one value per row`,
        { side, column },
      );
    }
  }
}

/** At most ten names, quoted, so a wide table does not flood a message. */
function nameList(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, 10).map((n) => `'${n}'`);
  return names.length > 10 ? `${shown.join(', ')}, … (${names.length} in all)` : shown.join(', ');
}
