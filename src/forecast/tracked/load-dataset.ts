import { MlopsError } from '../../core/index.js';
import {
  formatValidationReport,
  validateSeries,
  type ValidationReport,
} from '../contract/index.js';
import { loadPriceCsv, type PriceCsv } from '../series/index.js';

export interface LoadedDataset {
  readonly csv: PriceCsv;
  /** The rows used: all of them, or the most recent `lastRows`. */
  readonly dates: readonly string[];
  readonly closes: Float64Array;
  readonly report: ValidationReport;
}

/**
 * Loads a price CSV and holds it to the data contract for `windowSize`. A contract error stops
 * the job (`DATA_CONTRACT_FAILED`, with the report in `details.report`); warnings come back in the
 * report for the caller to record on its run. `lastRows` keeps only the most recent rows (the
 * quick preset), after the whole file has been validated.
 */
export async function loadDataset(
  path: string,
  options: { windowSize: number; lastRows?: number },
): Promise<LoadedDataset> {
  const csv = await loadPriceCsv(path);
  const report = validateSeries(csv, { windowSize: options.windowSize });
  if (!report.ok) {
    throw new MlopsError(
      'DATA_CONTRACT_FAILED',
      `${path} breaks the data contract; nothing was trained.\n${formatValidationReport(report)}`,
      { details: { report } },
    );
  }
  const bars = options.lastRows !== undefined ? csv.bars.slice(-options.lastRows) : csv.bars;
  return {
    csv,
    dates: bars.map((b) => b.date),
    closes: Float64Array.from(bars, (b) => b.close),
    report,
  };
}
