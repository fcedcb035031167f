import { invalidParam } from '../../core/index.js';

/** The columns every price CSV must have, by canonical name. */
export const REQUIRED_COLUMNS = ['date', 'open', 'high', 'low', 'close', 'volume'] as const;
export const OPTIONAL_COLUMNS = ['adjclose'] as const;

export type PriceColumn = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** Spellings seen in the wild, after lower-casing and dropping everything but letters/digits. */
const ALIASES: Readonly<Record<string, PriceColumn>> = {
  date: 'date',
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  volume: 'volume',
  adjclose: 'adjclose', // 'Adj Close', 'adj_close', 'adjclose', 'AdjClose'
  adjustedclose: 'adjclose',
};

/** 'Adj Close' -> 'adjclose': case, spaces, underscores and dashes do not matter. */
export function canonicalColumn(name: string): PriceColumn | undefined {
  return ALIASES[name.toLowerCase().replace(/[^a-z0-9]/g, '')];
}

/** Where each known column sits in a record. Unknown columns (e.g. 'Dividends') are ignored. */
export type ColumnIndex = Partial<Record<PriceColumn, number>>;

/**
 * Maps a header to column positions. Missing required columns and a column given twice are fatal:
 * without them no bar can be built, so there is nothing for the contract to check.
 */
export function indexColumns(header: readonly string[], file: string): ColumnIndex {
  const index: ColumnIndex = {};
  header.forEach((name, i) => {
    const column = canonicalColumn(name);
    if (column === undefined) return;
    const previous = index[column];
    if (previous !== undefined) {
      throw invalidParam(
        `${file}: line 1: columns '${header[previous]}' and '${name}' both name '${column}'; keep one.`,
        { file, line: 1, column },
      );
    }
    index[column] = i;
  });
  const missing = REQUIRED_COLUMNS.filter((c) => index[c] === undefined);
  if (missing.length > 0) {
    throw invalidParam(
      `${file}: line 1: missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; ` +
        `found ${header.map((h) => `'${h}'`).join(', ') || 'none'}. ` +
        `Expected a header like Date,Open,High,Low,Close,Adj Close,Volume (any case and order; Adj Close optional).`,
      { file, line: 1, missing, found: [...header] },
    );
  }
  return index;
}
