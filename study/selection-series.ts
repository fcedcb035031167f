/**
 * The only door from the data to the selection study. The study needs the row count to compute
 * the protocol's testStart (DESIGN.md §7: floor(0.8 x rows)), so the CSV is parsed once; the
 * closes and dates are cut to the rows before testStart in this file, right after loading, and
 * nothing else in the study ever receives the full series. The cut is a copy (`slice`), not a
 * view (`subarray`), so not even the returned array's buffer holds a test row.
 */
import {
  loadPriceCsv,
  TRAIN_FRACTION,
  VALIDATION_FRACTION,
  type ProtocolSplit,
} from '../src/forecast/index.js';

/** The protocol's first test row for a series of `rows` rows (same formula as protocolSplit). */
export function protocolTestStart(rows: number): number {
  return Math.floor(TRAIN_FRACTION * rows);
}

/** The closes the study may see: rows 0 .. testStart-1 of the full series, as a fresh copy. */
export function selectionSeries(closes: ArrayLike<number>): Float64Array {
  const testStart = protocolTestStart(closes.length);
  const visible = new Float64Array(testStart);
  for (let t = 0; t < testStart; t++) visible[t] = closes[t] ?? Number.NaN;
  return visible;
}

/**
 * The protocol split restricted to the visible rows: rows = testStart = visible.length, and
 * validationStart exactly as protocolSplit computes it on the full series (it depends only on
 * testStart and the window). Its test part [testStart, rows) is empty by construction.
 */
export function selectionSplit(visibleRows: number, windowSize: number): ProtocolSplit {
  const testStart = visibleRows;
  const validationStart = testStart - Math.floor(VALIDATION_FRACTION * (testStart - windowSize));
  return { rows: visibleRows, windowSize, testStart, validationStart };
}

/** What the study knows about the data: the visible rows only, plus the file's identity. */
export interface SelectionData {
  readonly source: string;
  readonly sha256: string;
  /** Rows in the file (needed for testStart; no value of a test row is kept). */
  readonly fileRows: number;
  /** = testStart: the first row the study never sees. */
  readonly testStart: number;
  readonly closes: Float64Array;
  readonly dates: readonly string[];
}

/** Loads the CSV and cuts it to the selection rows at once; the full bars go out of scope here. */
export async function loadSelectionData(path: string): Promise<SelectionData> {
  const csv = await loadPriceCsv(path);
  if (csv.problems.length > 0) {
    const p = csv.problems[0];
    throw new Error(`${path}: ${csv.problems.length} unreadable cells (first: line ${p?.line}).`);
  }
  const fileRows = csv.bars.length;
  const closes = selectionSeries(csv.bars.map((b) => b.close));
  const dates = csv.bars.slice(0, closes.length).map((b) => b.date);
  return { source: path, sha256: csv.sha256, fileRows, testStart: closes.length, closes, dates };
}
