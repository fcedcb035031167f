import { describe, expect, it } from 'vitest';
import { checkRev, parseCatFileBatch, parseLogRecords, parseLsTree, parseRawLog } from './git.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const Z = '0'.repeat(40);

describe('git output parsing', () => {
  it('reads log records, keeping subjects with odd characters', () => {
    const text =
      `${A}\x1f2024-05-02T10:00:00+02:00\x1fAda <ada@example.com>\x1fdata v2: append\0` +
      `\n${B}\x1f2024-05-01T09:00:00+02:00\x1fBob <bob@example.com>\x1f\0`;
    expect(parseLogRecords(text)).toEqual([
      {
        commit: A,
        date: '2024-05-02T10:00:00+02:00',
        author: 'Ada <ada@example.com>',
        subject: 'data v2: append',
      },
      {
        commit: B,
        date: '2024-05-01T09:00:00+02:00',
        author: 'Bob <bob@example.com>',
        subject: '',
      },
    ]);
    expect(parseLogRecords('')).toEqual([]);
  });

  it('keeps pointer files under the workspace prefix from ls-tree', () => {
    const text = [
      `100644 blob ${A}\tws/data/prices.csv.mlops`,
      `100644 blob ${B}\tws/data/b c.csv.mlops`,
      `100644 blob ${C}\tws/.mlops/x.mlops`,
      `100644 blob ${C}\tws/README.md`,
      `100644 blob ${C}\tother/z.csv.mlops`,
      `040000 tree ${C}\tws/dir.mlops`,
      `100644 blob ${C}\tws/.mlops`,
      '',
    ].join('\0');
    expect(parseLsTree(text, 'ws/')).toEqual([
      { path: 'data/b c.csv', blob: B },
      { path: 'data/prices.csv', blob: A },
    ]);
    expect(parseLsTree(`100644 blob ${A}\tp.csv.mlops\0`, '')).toEqual([
      { path: 'p.csv', blob: A },
    ]);
  });

  it('collects the new side of each pointer change in a raw log, once per blob', () => {
    const change = (from: string, to: string, status: string, path: string) =>
      `\n:100644 100644 ${from} ${to} ${status}\0${path}\0`;
    const text =
      `\x01${A}\0` +
      change(B, C, 'M', 'data/a.csv.mlops') +
      change(Z, A, 'A', 'data/notes.md') +
      `\x01${B}\0` +
      change(Z, B, 'A', 'data/a.csv.mlops') +
      change(C, Z, 'D', 'data/gone.csv.mlops') +
      `\x01${C}\0` +
      change(A, C, 'M', 'data/a.csv.mlops');
    expect(parseRawLog(text, '')).toEqual([
      { path: 'data/a.csv', blob: C },
      { path: 'data/a.csv', blob: B },
    ]);
    expect(parseRawLog(text, 'elsewhere/')).toEqual([]);
  });

  it('splits cat-file --batch output by the sizes in its headers', () => {
    const out = Buffer.concat([
      Buffer.from(`${A} blob 6\nab\ncd\n\n`),
      Buffer.from(`${B}:x.mlops missing\n`),
      Buffer.from(`${C} blob 0\n\n`),
      Buffer.from(`${B} tree 3\nxyz\n`),
    ]);
    const objects = parseCatFileBatch(out, 4);
    expect(objects.map((o) => o?.toString())).toEqual(['ab\ncd\n', undefined, '', undefined]);
  });

  it('refuses revisions git would read as options', () => {
    expect(() => checkRev('--all')).toThrow(/not a git revision/);
    expect(() => checkRev('')).toThrow(/not a git revision/);
    expect(() => checkRev('HEAD\n')).toThrow(/not a git revision/);
    expect(() => checkRev('HEAD~1')).not.toThrow();
  });
});
