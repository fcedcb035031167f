import { invalidParam } from '../../core/index.js';
import type { ColumnValues, MonitorDataset } from '../dataset.js';
import type { ColumnKind } from '../stats/index.js';
import { categoricalQuality } from './categorical-quality.js';
import { labelsAsNumbers, numbersAsLabels } from './column-values.js';
import { numericalQuality } from './numerical-quality.js';
import type {
  ColumnQuality,
  ContractViolation,
  DataQualityResult,
  SchemaViolation,
} from './quality-types.js';
import { checkDatasetShape, checkSchema } from './schema-check.js';

export interface DataQualityOptions {
  /** Columns to check; default every reference column (then extra current columns are flagged). */
  readonly columns?: readonly string[];
  /** Column kinds; default numerical for a Float64Array, categorical for labels. */
  readonly kinds?: Readonly<Record<string, ColumnKind>>;
  /**
   * The application's data contract on the current data (e.g. the forecasting price window);
   * its violations are passed through. The module itself knows no domain rules.
   */
  readonly contract?: (current: MonitorDataset) => readonly ContractViolation[];
}

/**
 * Data quality of `current` against `reference`, as Evidently's data quality metrics define it:
 * missing values (NaN, ±inf, null, ""), out-of-range against the reference [min, max],
 * labels the reference never holds, constant and almost constant columns, plus schema
 * violations and the contract's findings. Bad data is reported, never thrown: only a dataset
 * that breaks its own shape (a column length that is not `rows`) or a bad option throws.
 *
 * @example
 * const quality = computeDataQuality(reference, current, { contract: (d) => checkPrices(d) });
 * quality.columns.find((c) => c.column === 'close')?.outOfRangeShare;
 */
export function computeDataQuality(
  reference: MonitorDataset,
  current: MonitorDataset,
  options: DataQualityOptions = {},
): DataQualityResult {
  checkDatasetShape('reference', reference);
  checkDatasetShape('current', current);
  const problems: string[] = [];
  if (reference.rows === 0) {
    problems.push('the reference has no rows: there is no range or label list to check against');
  }
  if (current.rows === 0) {
    problems.push('the current data has no rows: nothing was checked and every share is 0');
  }

  const schema = checkSchema(reference, current, options.columns);
  problems.push(...schema.problems);
  const violations: SchemaViolation[] = [...schema.violations];
  const columns: ColumnQuality[] = [];
  for (const { column, reference: ref, current: cur } of schema.comparable) {
    const kind = kindOf(column, ref, options.kinds);
    const result =
      kind === 'numerical' ? numerical(column, ref, cur) : categorical(column, ref, cur);
    if ('violation' in result) {
      violations.push(result.violation);
      continue;
    }
    columns.push(result.quality);
    problems.push(...result.problems);
  }

  const missing = columns.reduce((sum, c) => sum + c.missing, 0);
  const cells = columns.length * current.rows;
  return {
    referenceRows: reference.rows,
    currentRows: current.rows,
    columns,
    schema: violations,
    contract: runContract(options.contract, current),
    missingShare: cells > 0 ? missing / cells : 0,
    problems,
  };
}

function kindOf(
  column: string,
  reference: ColumnValues,
  kinds: DataQualityOptions['kinds'],
): ColumnKind {
  const kind = kinds?.[column];
  if (kind === undefined) return reference instanceof Float64Array ? 'numerical' : 'categorical';
  if (kind !== 'numerical' && kind !== 'categorical') {
    throw invalidParam(
      `kinds['${column}'] is '${String(kind)}'; expected 'numerical' or 'categorical'`,
      { column },
    );
  }
  return kind;
}

type Outcome = { quality: ColumnQuality; problems: string[] } | { violation: SchemaViolation };

function numerical(column: string, reference: ColumnValues, current: ColumnValues): Outcome {
  const ref = asNumbers(column, 'reference', reference);
  if ('violation' in ref) return ref;
  const cur = asNumbers(column, 'current', current);
  if ('violation' in cur) return cur;
  return numericalQuality(column, ref.values, cur.values);
}

function categorical(column: string, reference: ColumnValues, current: ColumnValues): Outcome {
  const labels = (v: ColumnValues) => (v instanceof Float64Array ? numbersAsLabels(v) : v);
  return categoricalQuality(column, labels(reference), labels(current));
}

/** A label column declared numerical: every present label must read as a number. */
function asNumbers(
  column: string,
  side: 'reference' | 'current',
  values: ColumnValues,
): { values: Float64Array } | { violation: SchemaViolation } {
  if (values instanceof Float64Array) return { values };
  const parsed = labelsAsNumbers(values);
  if ('values' in parsed) return parsed;
  return {
    violation: {
      column,
      problem: 'type_mismatch',
      expected: 'numbers (the column is declared numerical)',
      actual: `the label '${parsed.label}' at ${side} row ${parsed.badRow}`,
      message: `column '${column}' is declared numerical but ${side} row ${parsed.badRow} holds '${parsed.label}'; expected a number or a missing value`,
    },
  };
}

/** The contract's own failure is a finding too: the report says it could not run. */
function runContract(
  contract: DataQualityOptions['contract'],
  current: MonitorDataset,
): readonly ContractViolation[] {
  if (!contract) return [];
  try {
    return [...contract(current)];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [
      {
        rule: 'contract',
        severity: 'error',
        message: `the data contract could not run on the current data: ${reason}`,
      },
    ];
  }
}
