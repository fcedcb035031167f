import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONITORED_FEATURE_COLUMNS, windowFeatures } from '../../forecast/index.js';
import { expectCode } from '../../testing/index.js';
import { readTableFile } from './table-file.js';

describe('readTableFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-monitor-table-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('turns a file with a Close column (any case) into one feature row per window', async () => {
    const closes = [100, 101, 103, 102, 104, 106, 105];
    const lines = ['date,CLOSE', ...closes.map((c, i) => `2024-01-0${i + 1},${c}`)];
    const t = await readTableFile(await file('prices.csv', lines.join('\n')), 3);
    expect(t.kind).toBe('prices');
    expect(Object.keys(t.dataset.columns)).toEqual([...MONITORED_FEATURE_COLUMNS]);
    // Rows 3..6 are predicted from the 3 closes before each: 4 rows.
    expect(t.dataset.rows).toBe(4);
    const expected = windowFeatures(closes.slice(0, 3));
    MONITORED_FEATURE_COLUMNS.forEach((name, k) => {
      expect(t.dataset.columns[name]?.[0]).toBeCloseTo(expected[k] ?? NaN, 12);
    });
    expect(t.source).toMatchObject({
      rows: 4,
      from: Date.parse('2024-01-04'),
      to: Date.parse('2024-01-07'),
    });
    expect(t.contract).toEqual([]);
  });

  it('runs the data contract on a price file: a non-positive close is an error naming its line', async () => {
    const lines = ['Date,Close', '2024-01-02,10', '2024-01-03,0', '2024-01-04,11', '2024-01-05,12'];
    const t = await readTableFile(await file('zero.csv', lines.join('\n')), 2);
    expect(t.contract).toContainEqual(
      expect.objectContaining({ rule: 'positive-values', severity: 'error', where: '2024-01-03' }),
    );
  });

  it('compares other tables column by column: numbers, labels, empty cells missing', async () => {
    // `,` is a row whose every value is missing (as pandas reads it), not a row to skip.
    const t = await readTableFile(await file('table.csv', 'a,b\n1,x\n,y\n3.5,\n,\n'), 60);
    expect(t.kind).toBe('table');
    expect(t.dataset.rows).toBe(4);
    expect([...(t.dataset.columns['a'] as Float64Array)]).toEqual([1, NaN, 3.5, NaN]);
    expect(t.dataset.columns['b']).toEqual(['x', 'y', null, null]);
  });

  it('names the file, line and column of a close that is not a number', async () => {
    const path = await file('bad-close.csv', 'Date,Close\n2024-01-02,10\n2024-01-03,ten\n');
    const err = await expectCode(readTableFile(path, 2), 'INVALID_PARAMETER_VALUE');
    expect(err.message).toContain(`${path}: line 3, column 'Close': 'ten' is not a number`);
  });

  it('names the line of a malformed record, and refuses empty and missing files', async () => {
    const ragged = await file('ragged.csv', 'a,b\n1,2\n3\n');
    expect((await expectCode(readTableFile(ragged, 2), 'INVALID_PARAMETER_VALUE')).message).toMatch(
      /ragged\.csv: line 3: not a well-formed CSV record/,
    );
    const empty = await file('empty.csv', '');
    expect(
      (await expectCode(readTableFile(empty, 2), 'INVALID_PARAMETER_VALUE')).message,
    ).toContain('is empty');
    const missing = join(dir, 'nope.csv');
    expect(
      (await expectCode(readTableFile(missing, 2), 'INVALID_PARAMETER_VALUE')).message,
    ).toContain(`${missing} does not exist`);
  });
});
