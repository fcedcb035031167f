import { partRange, type ProtocolSplit, type SplitPart } from '../features/index.js';

export interface RowRange {
  readonly firstRow: number;
  readonly lastRow: number;
  readonly firstDate: string;
  readonly lastDate: string;
}

/** The exact target rows (and their dates) of each part of the split, as recorded on the run. */
export function splitRanges(
  split: ProtocolSplit,
  dates: readonly string[],
  windowSize: number,
): Record<SplitPart, RowRange> {
  const range = (part: SplitPart): RowRange => {
    const [from, to] = partRange(split, part, windowSize);
    return {
      firstRow: from,
      lastRow: to - 1,
      firstDate: dates[from] ?? '',
      lastDate: dates[to - 1] ?? '',
    };
  };
  return { train: range('train'), validation: range('validation'), test: range('test') };
}

export function formatRange(r: RowRange): string {
  return `${r.firstDate}..${r.lastDate} (rows ${r.firstRow}..${r.lastRow})`;
}
