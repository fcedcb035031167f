import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { diffListings } from './listing-diff.js';
import { classifyRows, diffRows, isRowFile, scanText } from './row-diff.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
/** `text` as a file version streamed in chunks of `size` bytes. */
const source = (text: string, size = 3) => {
  const bytes = Buffer.from(text);
  return {
    sha256: sha(text),
    size: bytes.length,
    chunks: function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    },
  };
};

const V1 = 'Date,Close\n2023-01-03,89.7\n2023-01-04,88.7\n';

describe('scanText', () => {
  it('counts lines, with or without a final newline, across chunk boundaries', async () => {
    expect(await scanText([])).toEqual({ size: 0, lines: 0, endsClean: true });
    expect(await scanText(source('a\nb\n', 1).chunks())).toMatchObject({ lines: 2, size: 4 });
    expect(await scanText(source('a\nb', 2).chunks())).toMatchObject({
      lines: 2,
      endsClean: false,
    });
    expect(await scanText([Buffer.from('\n\n\n')])).toMatchObject({ lines: 3, endsClean: true });
  });

  it('hashes the first bytes only when the file is that long', async () => {
    const scan = await scanText(source(V1 + 'x\n', 5).chunks(), Buffer.byteLength(V1));
    expect(scan.prefixSha256).toBe(sha(V1));
    expect((await scanText(source('ab').chunks(), 5)).prefixSha256).toBeUndefined();
  });
});

describe('diffRows', () => {
  it('reports the exact rows of an append', async () => {
    const after = V1 + '2023-01-05,86.8\n2023-01-06,87.1\n';
    expect(await diffRows(source(V1), source(after, 7))).toEqual({
      kind: 'append',
      linesBefore: 3,
      linesAfter: 5,
      rowsAdded: 2,
      rowsRemoved: 0,
    });
  });

  it('reports rows removed from the end as a truncation', async () => {
    const before = V1 + '2023-01-05,86.8\n';
    expect(await diffRows(source(before), source(V1))).toMatchObject({
      kind: 'truncate',
      rowsAdded: 0,
      rowsRemoved: 1,
    });
  });

  it('reports only the net line count for any other edit', async () => {
    const edited = V1.replace('89.7', '99.9') + '2023-01-05,86.8\n';
    expect(await diffRows(source(V1), source(edited))).toEqual({
      kind: 'edit',
      linesBefore: 3,
      linesAfter: 4,
      rowsAdded: 1,
      rowsRemoved: 0,
    });
    const shorter = 'Date,Close\n2023-01-04,88.7\n';
    expect(await diffRows(source(V1), source(shorter))).toMatchObject({
      kind: 'edit',
      rowsAdded: 0,
      rowsRemoved: 1,
    });
    const same = V1.replace('89.7', '99.9');
    expect(await diffRows(source(V1), source(same))).toMatchObject({
      kind: 'edit',
      rowsAdded: 0,
      rowsRemoved: 0,
    });
  });

  it('does not call it an append when the old last line was completed', async () => {
    expect(await diffRows(source('a\nb'), source('a\nbc\nd\n'))).toMatchObject({
      kind: 'edit',
      linesBefore: 2,
      linesAfter: 3,
      rowsAdded: 1,
    });
  });

  it('treats an empty old version as an append of every line', () => {
    expect(
      classifyRows({ lines: 0, endsClean: true }, { lines: 4, endsClean: true }, true, false),
    ).toMatchObject({ kind: 'append', rowsAdded: 4 });
  });
});

describe('isRowFile', () => {
  it('knows CSV-like extensions, case-insensitively', () => {
    expect(isRowFile('data/prices.csv')).toBe(true);
    expect(isRowFile('data/PRICES.TSV')).toBe(true);
    expect(isRowFile('logs/events.jsonl')).toBe(true);
    expect(isRowFile('data/model.onnx')).toBe(false);
    expect(isRowFile('data/.csv')).toBe(false);
    expect(isRowFile('data/csv')).toBe(false);
  });
});

describe('diffListings', () => {
  const entry = (path: string, sha256: string, mode = 0o644) => ({ path, sha256, mode });
  it('sorts files into added, removed, changed (bytes or mode) and unchanged', () => {
    const before = [entry('a.csv', '1'), entry('b.csv', '2'), entry('c.sh', '3'), entry('d', '4')];
    const after = [
      entry('e/new.csv', '5'),
      entry('d', '4'),
      entry('c.sh', '3', 0o755),
      entry('a.csv', '9'),
    ];
    expect(diffListings(before, after)).toEqual({
      added: ['e/new.csv'],
      removed: ['b.csv'],
      changed: ['a.csv', 'c.sh'],
      unchanged: 1,
    });
    expect(diffListings([], [])).toEqual({ added: [], removed: [], changed: [], unchanged: 0 });
  });
});
