import { readFile } from 'node:fs/promises';
import { MlopsError, invalidParam } from '../../core/index.js';
import type { Table } from '../../data/index.js';
import type {
  ColumnValues,
  ContractViolation,
  MonitorDataset,
  ReportSource,
} from './monitoring-parts.js';
import { priceWindowContract } from './window-contract.js';

/** A CSV file as monitoring data: price series become feature rows, other tables stay as they are. */
export interface TableData {
  readonly dataset: MonitorDataset;
  readonly source: ReportSource;
  /** `prices`: the file had a Close column and its rows are the monitored features. */
  readonly kind: 'prices' | 'table';
  /** The data contract on a price file's series; empty for other tables. */
  readonly contract: readonly ContractViolation[];
}

/** Default feature window for a price file when no model names one. */
export const DEFAULT_FEATURE_WINDOW = 60;

/**
 * Reads `path` as monitoring data. A file with a Close column (any case) is a daily price series:
 * each row from `window` on gives the monitored features of the `window` closes before it
 * (`monitoredFeatures`, the windows a model of that size sees), and the forecasting data
 * contract runs on the series. Any other table is compared column by column: a column whose
 * non-empty cells are all numbers is numerical (empty cells missing), the rest are labels.
 *
 * @throws MlopsError INVALID_PARAMETER_VALUE naming the file and line for a missing or
 *   malformed file, or the file, line and column for an unreadable close.
 */
export async function readTableFile(path: string, window: number): Promise<TableData> {
  const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT'
      ? invalidParam(`${path} does not exist; expected a CSV file or models:/<name>@<alias>.`, {
          file: path,
        })
      : new MlopsError('IO_ERROR', `Cannot read ${path}: ${err.message}`, { cause: err });
  });
  const { header, rows } = await parseCsv(bytes, path);
  const close = header.findIndex((h) => h.toLowerCase() === 'close');
  return close >= 0
    ? priceTable(path, header, rows, close, window)
    : plainTable(path, header, rows);
}

async function parseCsv(bytes: Buffer, path: string): Promise<Table> {
  // Loaded when a file is read: the data module's CSV reader (csv-parse) is kept off the CLI's
  // start-up path.
  const { parseTable } = await import('../../data/index.js');
  // A record of empty cells is a row whose every value is missing, as pandas reads it.
  const table = parseTable(bytes, path, { keepEmptyRecords: true });
  if (table === undefined) {
    throw invalidParam(`${path} is empty; expected a CSV file with a header row.`, { file: path });
  }
  const seen = new Set<string>();
  for (const name of table.header) {
    if (name === '' || seen.has(name)) {
      throw invalidParam(
        `${path}: line 1: ${name === '' ? 'an empty column name' : `column '${name}' appears twice`}; expected unique column names.`,
        { file: path, line: 1 },
      );
    }
    seen.add(name);
  }
  return table;
}

/** A number cell: empty is missing (NaN); anything else must parse. */
function numberCell(text: string): number | undefined {
  if (text === '' || /^(nan|null|na)$/i.test(text)) return Number.NaN;
  const value = Number(text);
  return text.trim() !== '' && !Number.isNaN(value) ? value : undefined;
}

function plainTable(path: string, header: readonly string[], rows: Table['rows']): TableData {
  const columns: Record<string, ColumnValues> = {};
  header.forEach((name, c) => {
    const cells = rows.map((r) => r.cells[c] ?? '');
    const numbers = cells.map(numberCell);
    columns[name] = numbers.every((n) => n !== undefined)
      ? Float64Array.from(numbers as number[])
      : cells.map((cell) => (cell === '' ? null : cell));
  });
  return {
    dataset: { rows: rows.length, columns },
    source: { uri: path, rows: rows.length, description: `table ${header.join(', ')}` },
    kind: 'table',
    contract: [],
  };
}

async function priceTable(
  path: string,
  header: readonly string[],
  rows: Table['rows'],
  close: number,
  window: number,
): Promise<TableData> {
  const { monitoredFeatures, MONITORED_FEATURE_COLUMNS, parseDate } =
    await import('../../forecast/index.js');
  const date = header.findIndex((h) => h.toLowerCase() === 'date');
  const closes = new Float64Array(rows.length);
  const dates: (string | undefined)[] = [];
  rows.forEach(({ cells, line }, i) => {
    const text = cells[close] ?? '';
    const value = numberCell(text);
    if (value === undefined) {
      throw invalidParam(
        `${path}: line ${line}, column '${header[close]}': '${text}' is not a number; expected a close price.`,
        { file: path, line, column: header[close] },
      );
    }
    closes[i] = value;
    dates.push(date >= 0 ? parseDate(cells[date] ?? '') : undefined);
  });
  const features = monitoredFeatures(closes, window);
  const columns: Record<string, Float64Array> = {};
  MONITORED_FEATURE_COLUMNS.forEach((name, k) => {
    columns[name] = Float64Array.from(features, (row) => row[k] ?? Number.NaN);
  });
  // Feature row k predicts row window + k: its time is that row's date.
  const first = dates[window];
  const last = dates[rows.length - 1];
  const epoch = (d: string | undefined) => (d === undefined ? undefined : Date.parse(d));
  const from = features.length > 0 ? epoch(first) : undefined;
  const to = features.length > 0 ? epoch(last) : undefined;
  return {
    dataset: { rows: features.length, columns },
    source: {
      uri: path,
      rows: features.length,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      description: `${features.length} windows of ${window} closes from ${rows.length} price rows`,
    },
    kind: 'prices',
    contract: await priceWindowContract(
      rows.map(({ line }, i) => ({ close: closes[i] ?? Number.NaN, date: dates[i], line })),
      { source: path, window },
    ),
  };
}
