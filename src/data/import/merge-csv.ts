import { invalidParam } from '../../core/index.js';
import { csvRecord, parseTable, type Table, type TableRow } from './parse-table.js';

/** Which value wins when an incoming row disagrees with the row already there for its key. */
export type PreferSide = 'new' | 'old';

export const DEFAULT_MERGE_KEY = 'Date';

export interface MergeCsvOptions {
  /** The key column (header matched case-insensitively); default `Date`. */
  readonly key?: string;
  /**
   * `new`: conflicting rows take the incoming values; `old`: they keep theirs. Either way the
   * conflicts are reported; without it the caller should refuse them (`importData` does).
   */
  readonly prefer?: PreferSide;
  /** Names for messages. */
  readonly targetName?: string;
  readonly incomingName?: string;
}

/** One value that differs between the target and the incoming file for the same key. */
export interface MergeConflict {
  readonly key: string;
  /** The column as the target's header spells it. */
  readonly column: string;
  readonly old: string;
  readonly new: string;
}

/** How the target's rows are ordered by key, which decides where new rows go. */
export type KeyOrder = 'ascending' | 'descending' | 'unsorted';

export interface CsvMerge {
  /** The merged file. */
  readonly bytes: Buffer;
  /** False when `bytes` equal the target's bytes (nothing to write). */
  readonly changed: boolean;
  /** The merged file's header (the target's, or the incoming one when there is no target). */
  readonly header: readonly string[];
  /** The key column as the header spells it. */
  readonly keyColumn: string;
  readonly rowsAdded: number;
  /** Existing rows whose values were replaced (`prefer: 'new'`). */
  readonly rowsUpdated: number;
  readonly rowsTotal: number;
  /** Incoming rows dropped because an identical row was there already (or earlier in the file). */
  readonly duplicates: number;
  /** Every conflicting value, in incoming file order. */
  readonly conflicts: readonly MergeConflict[];
  readonly order: KeyOrder;
}

/**
 * Merges the CSV `incoming` into the CSV `target` (undefined or blank: none yet) by a key column.
 * Generic: it knows nothing of what the columns mean.
 *
 * - Headers: the result keeps the target's header and column order; the incoming header must name
 *   the same columns in any order and case (else INVALID_PARAMETER_VALUE naming the missing and
 *   extra columns). Keys must be non-empty and unique in each file.
 * - Rows with a new key are added; an incoming row equal to the existing row of its key is dropped
 *   (cells compare as trimmed text, and two numbers of equal value such as `100` and `100.0` are
 *   equal); a differing value is a conflict, reported, and resolved by `prefer` (none: the rows
 *   stay as they are and the caller refuses).
 * - Order: keys compare as numbers when every key is a number, otherwise as strings by UTF-16
 *   code units (ISO dates such as 2024-01-31 sort by date; M/D/YYYY dates do not). If the target
 *   is sorted ascending (or descending) by key, new rows are placed in that order among the old
 *   ones (so fresh later dates are appended at the end); otherwise they are appended at the end in
 *   ascending key order. A new file is written in ascending key order.
 * - Bytes: existing rows keep their exact bytes (quoting, line endings); new and replaced rows are
 *   written with the target's line ending, quoting only where needed. Blank lines after the last
 *   row are dropped when anything changes. With nothing to change, `bytes` is the target as is.
 *
 * @throws MlopsError INVALID_PARAMETER_VALUE for malformed CSV, mismatched headers, a missing key
 *   column, empty or (within one file, with different values) duplicate keys.
 */
export function mergeCsv(
  target: Buffer | undefined,
  incoming: Buffer,
  options: MergeCsvOptions = {},
): CsvMerge {
  const targetName = options.targetName ?? 'the target';
  const incomingName = options.incomingName ?? 'the incoming file';
  const keyName = options.key ?? DEFAULT_MERGE_KEY;
  const old = target === undefined ? undefined : parseTable(target, targetName);
  const inc = parseTable(incoming, incomingName);
  if (inc === undefined) {
    throw invalidParam(
      `${incomingName} is empty: expected a header row naming the columns, then one row per record.`,
      { file: incomingName },
    );
  }
  const header = old?.header ?? inc.header;
  const headerOf = old === undefined ? incomingName : targetName;
  const targetIndex = columnIndex(header, headerOf);
  const keyIndex = targetIndex.get(normalise(keyName));
  if (keyIndex === undefined) {
    throw invalidParam(
      `The merge key '${keyName}' is not a column of ${headerOf} (columns: ${header.join(', ')}); name one with --merge-key.`,
      { key: keyName, columns: [...header] },
    );
  }
  const keyColumn = header[keyIndex] ?? keyName;
  const align = alignment(header, inc.header, targetIndex, { targetName: headerOf, incomingName });

  const oldKeys = old === undefined ? new Map<string, number>() : keyMap(old, keyIndex, targetName);
  const oldRows = old?.rows ?? [];
  const seen = new Map<string, { cells: string[]; line: number }>();
  const added = new Map<string, string[]>();
  const replaced = new Map<number, string[]>();
  const conflicts: MergeConflict[] = [];
  let duplicates = 0;
  for (const row of inc.rows) {
    const cells = align(row.cells);
    const key = cells[keyIndex] ?? '';
    if (key === '') {
      throw invalidParam(
        `${incomingName}: line ${row.line}: the key column ${keyColumn} is empty.`,
        {
          line: row.line,
        },
      );
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      if (sameCells(earlier.cells, cells)) {
        duplicates++;
        continue;
      }
      throw invalidParam(
        `${incomingName} has two different rows for ${keyColumn} ${key} (lines ${earlier.line} and ${row.line}); remove one.`,
        { key, lines: [earlier.line, row.line] },
      );
    }
    seen.set(key, { cells, line: row.line });
    const at = oldKeys.get(key);
    if (at === undefined) {
      added.set(key, cells);
      continue;
    }
    const existing = oldRows[at]?.cells ?? [];
    const differing = header.flatMap((column, i) => {
      const was = existing[i] ?? '';
      const now = cells[i] ?? '';
      return sameValue(was, now) ? [] : [{ key, column, old: was, new: now }];
    });
    if (differing.length === 0) {
      duplicates++;
      continue;
    }
    conflicts.push(...differing);
    if (options.prefer === 'new') replaced.set(at, cells);
  }

  const allKeys = [...oldKeys.keys(), ...added.keys()];
  const compare = allKeys.every(isNumber) ? compareNumbers : compareStrings;
  const order = old === undefined ? 'ascending' : keyOrder(old, keyIndex, compare);
  const fresh = [...added.entries()].sort(([a], [b]) =>
    order === 'descending' ? compare(b, a) : compare(a, b),
  );

  const eol = (old ?? inc).eol;
  const pieces: Buffer[] = [];
  const push = (piece: Buffer) => {
    const last = pieces.at(-1);
    if (last !== undefined && !endsWithNewline(last)) pieces.push(Buffer.from(eol, 'utf8'));
    pieces.push(piece);
  };
  push(
    old === undefined || target === undefined
      ? Buffer.from(csvRecord(header, eol), 'utf8')
      : target.subarray(0, old.headerEnd),
  );
  const writeNew = (cells: readonly string[]) => push(Buffer.from(csvRecord(cells, eol), 'utf8'));
  const writeOld = (row: TableRow, i: number) => {
    const replacement = replaced.get(i);
    if (replacement !== undefined) writeNew(replacement);
    else if (target !== undefined) push(target.subarray(row.start, row.end));
  };
  let next = 0;
  oldRows.forEach((row, i) => {
    const key = row.cells[keyIndex] ?? '';
    if (order !== 'unsorted') {
      const before = order === 'ascending' ? -1 : 1;
      while (next < fresh.length && Math.sign(compare(fresh[next]?.[0] ?? '', key)) === before) {
        writeNew(fresh[next++]?.[1] ?? []);
      }
    }
    writeOld(row, i);
  });
  for (; next < fresh.length; next++) writeNew(fresh[next]?.[1] ?? []);

  const merged = Buffer.concat(pieces);
  const unchanged =
    target !== undefined && old !== undefined && added.size === 0 && replaced.size === 0;
  const bytes = unchanged ? target : merged;
  return {
    bytes,
    changed: target === undefined || !bytes.equals(target),
    header,
    keyColumn,
    rowsAdded: added.size,
    rowsUpdated: replaced.size,
    rowsTotal: oldRows.length + added.size,
    duplicates,
    conflicts,
    order,
  };
}

const normalise = (column: string) => column.trim().toLowerCase();

/** Normalised column name -> index; refuses a header naming a column twice. */
function columnIndex(header: readonly string[], name: string): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((column, i) => {
    const key = normalise(column);
    if (index.has(key)) {
      throw invalidParam(`${name} names the column '${column}' twice; column names must differ.`, {
        column,
      });
    }
    index.set(key, i);
  });
  return index;
}

/** A function putting incoming cells into the target's column order. */
function alignment(
  header: readonly string[],
  incomingHeader: readonly string[],
  targetIndex: ReadonlyMap<string, number>,
  names: { targetName: string; incomingName: string },
): (cells: readonly string[]) => string[] {
  const incomingIndex = columnIndex(incomingHeader, names.incomingName);
  const missing = header.filter((c) => !incomingIndex.has(normalise(c)));
  const extra = incomingHeader.filter((c) => !targetIndex.has(normalise(c)));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
      ...(extra.length > 0 ? [`extra ${extra.join(', ')}`] : []),
    ];
    throw invalidParam(
      `The columns of ${names.incomingName} do not match ${names.targetName}: ${parts.join('; ')}. ` +
        `Expected ${header.join(', ')} (any order and case).`,
      { missing, extra, expected: [...header] },
    );
  }
  const from = header.map((c) => incomingIndex.get(normalise(c)) ?? 0);
  return (cells) => from.map((j) => cells[j] ?? '');
}

/** Key -> row index of the target; refuses empty and repeated keys. */
function keyMap(table: Table, keyIndex: number, name: string): Map<string, number> {
  const keys = new Map<string, number>();
  table.rows.forEach((row, i) => {
    const key = row.cells[keyIndex] ?? '';
    const column = table.header[keyIndex] ?? '';
    if (key === '') {
      throw invalidParam(`${name}: line ${row.line}: the key column ${column} is empty.`);
    }
    const first = keys.get(key);
    if (first !== undefined) {
      throw invalidParam(
        `${name} has two rows for ${column} ${key} (lines ${table.rows[first]?.line} and ${row.line}); merging by ${column} needs unique keys.`,
        { key },
      );
    }
    keys.set(key, i);
  });
  return keys;
}

function keyOrder(
  table: Table,
  keyIndex: number,
  compare: (a: string, b: string) => number,
): KeyOrder {
  let ascending = true;
  let descending = true;
  for (let i = 1; i < table.rows.length; i++) {
    const c = compare(
      table.rows[i - 1]?.cells[keyIndex] ?? '',
      table.rows[i]?.cells[keyIndex] ?? '',
    );
    if (c > 0) ascending = false;
    if (c < 0) descending = false;
  }
  if (ascending) return 'ascending';
  return descending ? 'descending' : 'unsorted';
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const isNumber = (value: string) => NUMBER.test(value);
const compareNumbers = (a: string, b: string) => Number(a) - Number(b);
const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sameValue(a: string, b: string): boolean {
  return a === b || (isNumber(a) && isNumber(b) && Number(a) === Number(b));
}

function sameCells(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => sameValue(value, b[i] ?? ''));
}

function endsWithNewline(piece: Buffer): boolean {
  const last = piece.at(-1);
  return last === 0x0a || last === 0x0d;
}
