import { CsvError, parse } from 'csv-parse/sync';
import { invalidParam } from '../../core/index.js';

/** One data record of a CSV file, with where its bytes lie in the file. */
export interface TableRow {
  /** Cells in file order, trimmed. */
  readonly cells: readonly string[];
  /** 1-based file line where the record ends. */
  readonly line: number;
  /** Byte offsets of the record in the file: its bytes plus the blank lines before it. */
  readonly start: number;
  readonly end: number;
}

/** A CSV file parsed with its header row. */
export interface Table {
  /** Header cells as written (trimmed). */
  readonly header: readonly string[];
  /** End offset of the header record (BOM, header line and its line ending). */
  readonly headerEnd: number;
  readonly rows: readonly TableRow[];
  /** The line ending of the header line: what new lines are written with. */
  readonly eol: '\n' | '\r\n';
}

interface ParsedRecord {
  record: string[];
  info: { bytes: number; lines: number };
}

/**
 * Parses `bytes` (UTF-8 CSV with a header row) with csv-parse: a BOM, blank lines and (unless
 * `keepEmptyRecords`) records of empty cells are skipped, cells are trimmed, every record must
 * have the header's number of fields. Returns undefined for a file with no header (empty or
 * blank). `keepEmptyRecords` keeps a record such as `,,` as a row of empty cells, as pandas reads
 * it (a row whose every value is missing).
 *
 * @throws MlopsError INVALID_PARAMETER_VALUE naming `name` and the line for malformed CSV or text
 *   that is not UTF-8.
 */
export function parseTable(
  bytes: Buffer,
  name: string,
  options: { readonly keepEmptyRecords?: boolean } = {},
): Table | undefined {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidParam(`${name} is not UTF-8 text; expected a CSV file.`, { file: name });
  }
  let records: ParsedRecord[];
  try {
    records = parse(bytes, {
      bom: true,
      trim: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: options.keepEmptyRecords !== true,
    }) as unknown as ParsedRecord[];
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw invalidParam(
        `${name}${line === undefined ? '' : `: line ${line}`}: not a well-formed CSV record (${err.message}).`,
        { file: name, ...(line === undefined ? {} : { line }) },
      );
    }
    throw err;
  }
  const [first, ...rest] = records;
  if (first === undefined) return undefined;
  const headerEnd = first.info.bytes;
  const rows: TableRow[] = [];
  let start = headerEnd;
  for (const { record, info } of rest) {
    rows.push({ cells: record, line: info.lines, start, end: info.bytes });
    start = info.bytes;
  }
  const eol = bytes.subarray(0, headerEnd).toString('utf8').endsWith('\r\n') ? '\r\n' : '\n';
  return { header: first.record, headerEnd, rows, eol };
}

/** One CSV field, quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV record ending with `eol`. */
export function csvRecord(cells: readonly string[], eol: string): string {
  return cells.map(csvField).join(',') + eol;
}
