import type { Series } from './bar.js';

/**
 * A cell (or a whole record) that could not be read. The loader collects these instead of throwing
 * on the first one, so the data contract can report them all.
 */
export interface CellProblem {
  /** 1-based line in the file (the record's last line when a quoted field spans lines). */
  readonly line: number;
  /** Canonical column name (`date`, `open`, ..., `adjclose`, `volume`); absent for a whole record. */
  readonly column?: string;
  /** The raw text found. */
  readonly value: string;
  /** What was expected instead, e.g. 'a date YYYY-MM-DD or M/D/YYYY'. */
  readonly expected: string;
}

/**
 * A loaded price CSV: the series (only rows whose every cell parsed) plus what the data contract
 * needs to report on the file: the columns found, each bar's line and the cell problems.
 */
export interface PriceCsv extends Series {
  /** Canonical names of the recognised columns, in file order. */
  readonly columns: readonly string[];
  /** The header as written in the file (trimmed), for messages. */
  readonly header: readonly string[];
  /** 1-based file line of each bar (parallel to `bars`). */
  readonly lines: readonly number[];
  readonly problems: readonly CellProblem[];
}
