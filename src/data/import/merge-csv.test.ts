import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { mergeCsv, type MergeCsvOptions } from './merge-csv.js';

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume\n';
const ROWS = {
  d3: '2023-01-03,89.83,91.55,89.02,89.70,89.70,20738500\n',
  d4: '2023-01-04,91.01,91.24,87.80,88.71,88.71,27046500\n',
  d5: '2023-01-05,88.07,88.21,86.56,86.77,86.77,23136100\n',
  d6: '2023-01-06,87.36,88.47,85.57,88.16,88.16,26612600\n',
  d9: '2023-01-09,89.20,90.83,88.58,88.80,88.80,22996700\n',
};
const csv = (...rows: string[]) => Buffer.from(HEADER + rows.join(''));
const merge = (target: string | undefined, incoming: string, options: MergeCsvOptions = {}) =>
  mergeCsv(target === undefined ? undefined : Buffer.from(target), Buffer.from(incoming), options);
const thrown = (fn: () => unknown): MlopsError => {
  try {
    fn();
  } catch (err) {
    if (MlopsError.is(err)) return err;
    throw err;
  }
  throw new Error('expected an MlopsError');
};

describe('mergeCsv', () => {
  it('appends new keys after the existing rows, keeping their bytes', () => {
    const target = csv(ROWS.d3, ROWS.d4).toString();
    const result = merge(target, csv(ROWS.d5, ROWS.d6).toString());
    expect(result.bytes.toString()).toBe(target + ROWS.d5 + ROWS.d6);
    expect(result).toMatchObject({
      changed: true,
      rowsAdded: 2,
      rowsUpdated: 0,
      rowsTotal: 4,
      duplicates: 0,
      conflicts: [],
      keyColumn: 'Date',
      order: 'ascending',
    });
  });

  it('drops incoming rows identical to existing ones (numbers compare by value)', () => {
    const target = csv(ROWS.d3, ROWS.d4).toString();
    const same = ROWS.d4.replace('88.71,88.71', '88.710,88.71');
    const result = merge(target, csv(ROWS.d3, same, ROWS.d5).toString());
    expect(result.rowsAdded).toBe(1);
    expect(result.duplicates).toBe(2);
    expect(result.bytes.toString()).toBe(target + ROWS.d5);
  });

  it('an import that adds nothing returns the target bytes unchanged', () => {
    const target = csv(ROWS.d3, ROWS.d4).toString() + '\n\n';
    const result = merge(target, csv(ROWS.d4, ROWS.d3).toString());
    expect(result.changed).toBe(false);
    expect(result.bytes.toString()).toBe(target);
    expect(result).toMatchObject({ rowsAdded: 0, duplicates: 2, rowsTotal: 2 });
  });

  it('reports conflicting values and leaves the rows as they are without prefer', () => {
    const target = csv(ROWS.d3, ROWS.d4).toString();
    const changed = ROWS.d4.replace('88.71,88.71', '88.99,88.98');
    const result = merge(target, csv(changed, ROWS.d5).toString());
    expect(result.conflicts).toEqual([
      { key: '2023-01-04', column: 'Close', old: '88.71', new: '88.99' },
      { key: '2023-01-04', column: 'Adj Close', old: '88.71', new: '88.98' },
    ]);
    expect(result.rowsUpdated).toBe(0);
    expect(result.bytes.toString()).toBe(target + ROWS.d5);
  });

  it('takes the incoming values with prefer new, and keeps the old ones with prefer old', () => {
    const target = csv(ROWS.d3, ROWS.d4, ROWS.d5).toString();
    const changed = ROWS.d4.replace('88.71,88.71', '88.99,88.98');
    const preferNew = merge(target, csv(changed).toString(), { prefer: 'new' });
    expect(preferNew.bytes.toString()).toBe(HEADER + ROWS.d3 + changed + ROWS.d5);
    expect(preferNew).toMatchObject({ rowsUpdated: 1, rowsAdded: 0, rowsTotal: 3 });
    expect(preferNew.conflicts).toHaveLength(2);
    const preferOld = merge(target, csv(changed).toString(), { prefer: 'old' });
    expect(preferOld.changed).toBe(false);
    expect(preferOld.conflicts).toHaveLength(2);
  });

  it('accepts the incoming columns in any order and case, writing them in the target order', () => {
    const target = csv(ROWS.d3).toString();
    const incoming =
      'volume,CLOSE,adj close,low,high,open,date\n23136100,86.77,86.77,86.56,88.21,88.07,2023-01-05\n';
    const result = merge(target, incoming, { key: 'DATE' });
    expect(result.bytes.toString()).toBe(target + ROWS.d5);
    expect(result.keyColumn).toBe('Date');
  });

  it('refuses an incoming header with missing or extra columns, naming them', () => {
    const target = csv(ROWS.d3).toString();
    const err = thrown(() =>
      merge(target, 'Date,Open,High,Low,Close,Volume,Dividends\n', {
        incomingName: 'new.csv',
        targetName: 'data/prices.csv',
      }),
    );
    expect(err.code).toBe('INVALID_PARAMETER_VALUE');
    expect(err.message).toContain('new.csv');
    expect(err.message).toContain('missing Adj Close');
    expect(err.message).toContain('extra Dividends');
    expect(err.details).toMatchObject({ missing: ['Adj Close'], extra: ['Dividends'] });
  });

  it('refuses a merge key that is not a column', () => {
    const err = thrown(() =>
      merge(csv(ROWS.d3).toString(), csv(ROWS.d4).toString(), { key: 'Day' }),
    );
    expect(err.message).toMatch(/merge key 'Day' is not a column.*Date, Open/);
  });

  it('inserts keys in the order the target is sorted: ascending, descending, or at the end', () => {
    const asc = merge(csv(ROWS.d3, ROWS.d6).toString(), csv(ROWS.d9, ROWS.d4).toString());
    expect(asc.bytes.toString()).toBe(HEADER + ROWS.d3 + ROWS.d4 + ROWS.d6 + ROWS.d9);

    const desc = merge(csv(ROWS.d6, ROWS.d3).toString(), csv(ROWS.d4, ROWS.d9).toString());
    expect(desc.order).toBe('descending');
    expect(desc.bytes.toString()).toBe(HEADER + ROWS.d9 + ROWS.d6 + ROWS.d4 + ROWS.d3);

    const unsorted = merge(
      csv(ROWS.d6, ROWS.d3, ROWS.d9).toString(),
      csv(ROWS.d5, ROWS.d4).toString(),
    );
    expect(unsorted.order).toBe('unsorted');
    expect(unsorted.bytes.toString()).toBe(
      HEADER + ROWS.d6 + ROWS.d3 + ROWS.d9 + ROWS.d4 + ROWS.d5,
    );
  });

  it('sorts numeric keys by value and other keys as strings', () => {
    const numeric = merge('id,v\n2,a\n10,b\n', 'id,v\n9,c\n11,d\n', { key: 'id' });
    expect(numeric.bytes.toString()).toBe('id,v\n2,a\n9,c\n10,b\n11,d\n');
    const strings = merge(undefined, 'k,v\nb,1\nA,2\na,3\n', { key: 'k' });
    expect(strings.bytes.toString()).toBe('k,v\nA,2\na,3\nb,1\n');
  });

  it('creates a new file from the incoming rows, sorted ascending', () => {
    const result = merge(undefined, csv(ROWS.d5, ROWS.d3, ROWS.d3).toString());
    expect(result.bytes.toString()).toBe(HEADER + ROWS.d3 + ROWS.d5);
    expect(result).toMatchObject({ changed: true, rowsAdded: 2, duplicates: 1, rowsTotal: 2 });
  });

  it("keeps the target's CRLF line endings, quoting and a missing final newline", () => {
    const target = 'Date,Name\r\n2023-01-03,"Alpha, Inc."\r\n2023-01-04,Beta';
    const result = merge(target, 'date,name\n2023-01-05,"Say ""hi"""\n', {});
    expect(result.bytes.toString()).toBe(target + '\r\n2023-01-05,"Say ""hi"""\r\n');
  });

  it('refuses duplicate keys with different values within the incoming file', () => {
    const err = thrown(() =>
      merge(csv(ROWS.d3).toString(), csv(ROWS.d4, ROWS.d4.replace('88.71', '80.00')).toString()),
    );
    expect(err.message).toMatch(/two different rows for Date 2023-01-04 \(lines 2 and 3\)/);
  });

  it('refuses empty keys, repeated target keys and malformed records, naming the line', () => {
    expect(thrown(() => merge(undefined, csv(',1,2,3,4,5,6\n').toString())).message).toMatch(
      /line 2: the key column Date is empty/,
    );
    expect(
      thrown(() => merge(csv(ROWS.d3, ROWS.d3).toString(), csv(ROWS.d4).toString())).message,
    ).toMatch(/two rows for Date 2023-01-03 \(lines 2 and 3\)/);
    const err = thrown(() =>
      merge(csv(ROWS.d3).toString(), HEADER + '2023-01-04,1,2\n', { incomingName: 'x.csv' }),
    );
    expect(err.message).toMatch(/^x\.csv: line 2: not a well-formed CSV record/);
  });

  it('refuses an empty incoming file and one that is not UTF-8', () => {
    expect(thrown(() => merge(undefined, '\n\n')).message).toMatch(/is empty: expected a header/);
    const binary = Buffer.from([0x44, 0x61, 0xff, 0xfe, 0x00, 0x0a]);
    expect(thrown(() => mergeCsv(undefined, binary)).message).toMatch(/not UTF-8 text/);
  });
});
