import type { Bar, CellProblem } from '../series/index.js';
import type { ResolvedContractOptions } from './contract-options.js';

export type Severity = 'error' | 'warning';

/** The contract's rules: stable names, used in reports, on runs and by monitoring. */
export const RULES = {
  'required-columns': { severity: 'error', summary: 'required columns present' },
  'values-parse': { severity: 'error', summary: 'every value parses' },
  'dates-increasing': { severity: 'error', summary: 'dates strictly increasing, no duplicates' },
  'ohlc-consistent': { severity: 'error', summary: 'Low <= Open, Close <= High' },
  'positive-values': { severity: 'error', summary: 'prices > 0 and volume >= 0' },
  'enough-rows': { severity: 'error', summary: 'enough rows for the window' },
  'date-gaps': { severity: 'warning', summary: 'no long gaps between trading days' },
  'return-outliers': { severity: 'warning', summary: 'no extreme daily log returns' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type RuleName = keyof typeof RULES;

/** One finding. `line` is the file line; `date` the row's date; `value` the offending value. */
export interface Issue {
  readonly rule: RuleName;
  readonly severity: Severity;
  readonly message: string;
  readonly line?: number;
  readonly column?: string;
  readonly date?: string;
  readonly value?: string | number;
}

/** What the contract checks: a loaded `PriceCsv`, a bare `Series` or bars from elsewhere. */
export interface ContractInput {
  readonly bars: readonly Bar[];
  /** File line of each bar, parallel to `bars`, for messages. */
  readonly lines?: readonly number[];
  /** Column names present (any spelling `canonicalColumn` knows); unchecked when absent. */
  readonly columns?: readonly string[];
  /** Cells the loader could not read. */
  readonly problems?: readonly CellProblem[];
  readonly source?: string;
  readonly sha256?: string;
}

/** The contract's verdict as plain JSON data (stored as a run artifact, printed by the CLI). */
export interface ValidationReport {
  /** False when there is at least one error; warnings never fail the contract. */
  readonly ok: boolean;
  readonly source?: string;
  readonly sha256?: string;
  readonly rows: number;
  /** Earliest and latest date among the rows, null when there are none. */
  readonly firstDate: string | null;
  readonly lastDate: string | null;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  /** Issues found per rule (only rules that found any), listed or not. */
  readonly counts: Readonly<Partial<Record<RuleName, number>>>;
  /** Issues per rule left out of the lists past `maxIssuesPerRule`. */
  readonly omitted: Readonly<Partial<Record<RuleName, number>>>;
  /** The thresholds the report was made with. */
  readonly options: ResolvedContractOptions;
}
