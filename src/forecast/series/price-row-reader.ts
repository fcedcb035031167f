import type { Bar } from './bar.js';
import { parseDate, parseNumber, DATE_EXPECTED, NUMBER_EXPECTED } from './parse-cells.js';
import { indexColumns, type ColumnIndex, type PriceColumn } from './price-columns.js';
import type { CellProblem } from './price-csv.js';

const MAX_RAW = 200;

const NUMERIC: readonly PriceColumn[] = ['open', 'high', 'low', 'close', 'adjclose', 'volume'];

/**
 * Turns parsed CSV records into bars. The first record is the header; every later record becomes a
 * bar when all its known cells parse, otherwise each bad cell becomes a problem and the row is left
 * out (so no later step ever sees a half-read row).
 */
export class PriceRowReader {
  header: readonly string[] | undefined;
  private index: ColumnIndex = {};
  readonly bars: Bar[] = [];
  readonly lines: number[] = [];
  readonly problems: CellProblem[] = [];

  constructor(private readonly file: string) {}

  /** Canonical names of the recognised columns, in file order. */
  get columns(): string[] {
    return Object.entries(this.index)
      .sort(([, a], [, b]) => a - b)
      .map(([name]) => name);
  }

  /** A record the CSV parser could not read (e.g. a stray quote): reported, never fatal. */
  skip(line: number, raw: string, reason: string): void {
    // An unclosed quote swallows the rest of the file into one record: keep the report short.
    const value = raw.length > MAX_RAW ? `${raw.slice(0, MAX_RAW)}...` : raw.trimEnd();
    this.problems.push({ line, value, expected: reason });
  }

  add(record: readonly string[], line: number): void {
    if (this.header === undefined) {
      this.header = record;
      this.index = indexColumns(record, this.file);
      return;
    }
    const width = this.header.length;
    if (record.length > width) {
      this.problems.push({
        line,
        value: record.join(','),
        expected: `${width} fields as in the header, found ${record.length} (quote numbers with thousands separators: "7,380,500")`,
      });
      return;
    }
    const before = this.problems.length;
    const cell = (column: PriceColumn): string => {
      const i = this.index[column];
      return i === undefined ? '' : (record[i] ?? '');
    };
    const date = parseDate(cell('date'));
    if (date === undefined) {
      this.problems.push({ line, column: 'date', value: cell('date'), expected: DATE_EXPECTED });
    }
    const values: Partial<Record<PriceColumn, number>> = {};
    for (const column of NUMERIC) {
      if (this.index[column] === undefined) continue;
      const value = parseNumber(cell(column));
      if (value === undefined) {
        this.problems.push({ line, column, value: cell(column), expected: NUMBER_EXPECTED });
      } else {
        values[column] = value;
      }
    }
    if (this.problems.length > before || date === undefined) return;
    // Every required column is indexed (indexColumns checked), so all its values are set here.
    const { open, high, low, close, volume } = values as Record<PriceColumn, number>;
    const adjclose = values.adjclose;
    this.bars.push(
      adjclose === undefined
        ? { date, open, high, low, close, volume }
        : { date, open, high, low, close, adjClose: adjclose, volume },
    );
    this.lines.push(line);
  }
}
