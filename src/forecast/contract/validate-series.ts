import { resolveContractOptions, type ContractOptions } from './contract-options.js';
import { IssueSink } from './issue-sink.js';
import { dateGaps } from './rules/date-gaps.js';
import { datesIncreasing } from './rules/dates-increasing.js';
import { enoughRows } from './rules/enough-rows.js';
import { ohlcConsistent } from './rules/ohlc-consistent.js';
import { positiveValues } from './rules/positive-values.js';
import { requiredColumns } from './rules/required-columns.js';
import { returnOutliers } from './rules/return-outliers.js';
import type { Rule } from './rules/rule.js';
import type { ContractInput, ValidationReport } from './validation-report.js';
import { valuesParse } from './rules/values-parse.js';

/** In report order: structure first, then values, then the warnings. */
const CHECKS: readonly Rule[] = [
  requiredColumns,
  valuesParse,
  enoughRows,
  datesIncreasing,
  ohlcConsistent,
  positiveValues,
  dateGaps,
  returnOutliers,
];

/**
 * The data contract for daily price series: runs every rule and returns a JSON-serialisable
 * report. Errors (ok = false) must stop training; warnings are recorded on the run. Pure: the
 * same input and options give the same report, so the pipeline and monitoring can call it too.
 *
 * @throws MlopsError INVALID_PARAMETER_VALUE for an invalid option.
 */
export function validateSeries(
  input: ContractInput,
  options: ContractOptions = {},
): ValidationReport {
  const resolved = resolveContractOptions(options);
  const sink = new IssueSink(resolved.maxIssuesPerRule);
  for (const check of CHECKS) check(input, resolved, sink);
  let firstDate: string | null = null;
  let lastDate: string | null = null;
  for (const { date } of input.bars) {
    if (firstDate === null || date < firstDate) firstDate = date;
    if (lastDate === null || date > lastDate) lastDate = date;
  }
  return {
    ok: sink.errors.length === 0,
    ...(input.source === undefined ? {} : { source: input.source }),
    ...(input.sha256 === undefined ? {} : { sha256: input.sha256 }),
    rows: input.bars.length,
    firstDate,
    lastDate,
    errors: sink.errors,
    warnings: sink.warnings,
    counts: sink.counts,
    omitted: sink.omitted,
    options: resolved,
  };
}
