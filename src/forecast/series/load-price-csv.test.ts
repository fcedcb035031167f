import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCode } from '../../testing/index.js';
import { loadPriceCsv } from './load-price-csv.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-series-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
/** Writes `content` to a fresh file in the temp dir and returns its path. */
async function file(content: string | Buffer): Promise<string> {
  const path = join(dir, `f${n++}.csv`);
  await writeFile(path, content);
  return path;
}

const YAHOO = [
  'Date,Open,High,Low,Close,Adj Close,Volume',
  '2018-03-27,53.150002,53.241951,49.846001,50.255001,50.255001,61906000',
  '2018-03-28,49.900002,51.211498,49.032001,50.228001,50.228001,67386000',
].join('\n');

const FIRST = {
  date: '2018-03-27',
  open: 53.150002,
  high: 53.241951,
  low: 49.846001,
  close: 50.255001,
  volume: 61906000,
};

describe('loadPriceCsv: variants', () => {
  it('reads the Yahoo Finance form, with lines, columns and the sha256 of the bytes', async () => {
    const csv = await loadPriceCsv(await file(YAHOO + '\n'));
    expect(csv.bars).toHaveLength(2);
    expect(csv.bars[0]).toEqual({ ...FIRST, adjClose: 50.255001 });
    expect(csv.lines).toEqual([2, 3]);
    expect(csv.columns).toEqual(['date', 'open', 'high', 'low', 'close', 'adjclose', 'volume']);
    expect(csv.problems).toEqual([]);
    expect(csv.sha256).toBe(
      createHash('sha256')
        .update(YAHOO + '\n')
        .digest('hex'),
    );
  });

  it.each([
    ['adjclose', 'date,open,high,low,close,adjclose,volume'],
    ['adj_close', 'DATE,OPEN,HIGH,LOW,CLOSE,ADJ_CLOSE,VOLUME'],
    ['mixed case', 'date,Open,HIGH,low,ClOsE,Adj Close,volume'],
  ])('accepts %s headers', async (_name, header) => {
    const csv = await loadPriceCsv(await file(`${header}\n${YAHOO.split('\n')[1]}\n`));
    expect(csv.bars[0]).toEqual({ ...FIRST, adjClose: 50.255001 });
  });

  it('accepts a file without adjusted close, in any column order, ignoring unknown columns', async () => {
    const text =
      'Volume,Close,Dividends,Low,High,Date,Open\n61906000,50.255001,0,49.846001,53.241951,2018-03-27,53.150002\n';
    const csv = await loadPriceCsv(await file(text));
    expect(csv.bars[0]).toEqual(FIRST);
    expect(csv.bars[0]).not.toHaveProperty('adjClose');
    expect(csv.columns).toEqual(['volume', 'close', 'low', 'high', 'date', 'open']);
  });

  it('normalises M/D/YYYY dates and reads quoted thousands separators', async () => {
    const text =
      'Date,Open,High,Low,Close,Volume\n3/27/2018,"1,053.15","1,053.24","1,049.85","1,050.26","7,380,500"\n';
    const csv = await loadPriceCsv(await file(text));
    expect(csv.bars[0]).toEqual({
      date: '2018-03-27',
      open: 1053.15,
      high: 1053.24,
      low: 1049.85,
      close: 1050.26,
      volume: 7380500,
    });
  });

  it('handles CRLF, a UTF-8 BOM and blank lines (trailing and inside)', async () => {
    const lines = YAHOO.split('\n');
    const text = `\uFEFF${lines[0]}\r\n${lines[1]}\r\n\r\n${lines[2]}\r\n\r\n\r\n`;
    const csv = await loadPriceCsv(await file(text));
    expect(csv.bars.map((b) => b.date)).toEqual(['2018-03-27', '2018-03-28']);
    expect(csv.lines).toEqual([2, 4]);
    expect(csv.header[0]).toBe('Date');
  });
});

describe('loadPriceCsv: cell problems are collected, not thrown', () => {
  it('reports every bad cell with line, column, value and expectation; keeps the good rows', async () => {
    const text = [
      'Date,Open,High,Low,Close,Volume',
      '2020-01-02,1,2,0.5,1.5,100',
      '2020-02-30,1,2,0.5,null,100',
      '2020-01-06,1,2,0.5,1.5,"1,23"',
      '2020-01-07,1,2,0.5,1.5,7,380,500',
      '2020-01-08,1,2,0.5,1.5,100',
    ].join('\n');
    const csv = await loadPriceCsv(await file(text));
    expect(csv.bars.map((b) => b.date)).toEqual(['2020-01-02', '2020-01-08']);
    expect(csv.lines).toEqual([2, 6]);
    expect(csv.problems).toMatchObject([
      {
        line: 3,
        column: 'date',
        value: '2020-02-30',
        expected: expect.stringContaining('YYYY-MM-DD'),
      },
      { line: 3, column: 'close', value: 'null', expected: expect.stringContaining('number') },
      { line: 4, column: 'volume', value: '1,23' },
      {
        line: 5,
        value: '2020-01-07,1,2,0.5,1.5,7,380,500',
        expected: expect.stringContaining('6 fields'),
      },
    ]);
  });

  it('reports a record the CSV parser cannot read and goes on', async () => {
    const text =
      'Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,0.5,1"5,100\n2020-01-03,1,2,0.5,1.5,100\n';
    const csv = await loadPriceCsv(await file(text));
    expect(csv.bars.map((b) => b.date)).toEqual(['2020-01-03']);
    expect(csv.problems[0]).toMatchObject({ line: 2, expected: expect.stringContaining('Quote') });
  });

  it('reports an unclosed quote once, with a short value', async () => {
    const rows = Array.from(
      { length: 50 },
      (_, i) => `2020-02-${String((i % 28) + 1).padStart(2, '0')},1,2,0.5,1.5,100`,
    );
    const text = ['Date,Open,High,Low,Close,Volume', '2020-01-02,1,2,0.5,"1.5,100', ...rows].join(
      '\n',
    );
    const csv = await loadPriceCsv(await file(text));
    expect(csv.bars).toEqual([]);
    expect(csv.problems).toHaveLength(1);
    expect(csv.problems[0]?.expected).toContain('Quote Not Closed');
    expect(csv.problems[0]?.value.length).toBeLessThan(210);
  });

  it('loads a header-only file as zero bars (the contract reports it)', async () => {
    const csv = await loadPriceCsv(await file('Date,Open,High,Low,Close,Adj Close,Volume\r\n'));
    expect(csv.bars).toEqual([]);
    expect(csv.problems).toEqual([]);
  });
});

describe('loadPriceCsv: fatal inputs', () => {
  it('a missing file is RESOURCE_DOES_NOT_EXIST naming the path', async () => {
    const path = join(dir, 'nope.csv');
    const err = await expectCode(loadPriceCsv(path), 'RESOURCE_DOES_NOT_EXIST');
    expect(err.message).toContain(path);
  });

  it.each([
    ['empty', ''],
    ['blank lines only', '\r\n\n  \n'],
  ])('an %s file is INVALID_PARAMETER_VALUE', async (_name, text) => {
    const path = await file(text);
    const err = await expectCode(loadPriceCsv(path), 'INVALID_PARAMETER_VALUE');
    expect(err.message).toContain(`${path} is empty`);
  });

  it('binary content (NUL bytes) is refused, naming the file', async () => {
    const bytes = randomBytes(4096);
    bytes[100] = 0;
    const path = await file(bytes);
    const err = await expectCode(loadPriceCsv(path), 'INVALID_PARAMETER_VALUE');
    expect(err.message).toMatch(
      new RegExp(`^${path} is not a text CSV file \\(NUL byte at byte offset \\d+\\)`),
    );
  });

  it('bytes that are not UTF-8 are refused', async () => {
    const path = await file(Buffer.from([0x44, 0x61, 0xff, 0xfe, 0x74, 0x65, 0x0a]));
    const err = await expectCode(loadPriceCsv(path), 'INVALID_PARAMETER_VALUE');
    expect(err.message).toContain('not UTF-8');
  });

  it('missing required columns are named, with the columns found', async () => {
    const path = await file('Date,Open,Price,Vol\n2020-01-02,1,2,3\n');
    const err = await expectCode(loadPriceCsv(path), 'INVALID_PARAMETER_VALUE');
    expect(err.message).toContain('missing required columns high, low, close, volume');
    expect(err.message).toContain("found 'Date', 'Open', 'Price', 'Vol'");
    expect(err.details).toMatchObject({ missing: ['high', 'low', 'close', 'volume'] });
  });

  it('an unreadable header is refused, naming its line', async () => {
    const path = await file('Date,"Open,High\n');
    const err = await expectCode(loadPriceCsv(path), 'INVALID_PARAMETER_VALUE');
    expect(err.message).toContain(`${path}: line 1: cannot read the header`);
  });

  it('a column given twice is refused', async () => {
    const path = await file('Date,Open,High,Low,Close,close,Volume\n');
    const err = await expectCode(loadPriceCsv(path), 'INVALID_PARAMETER_VALUE');
    expect(err.message).toContain("columns 'Close' and 'close' both name 'close'");
  });

  it('a directory is refused', async () => {
    await expectCode(loadPriceCsv(dir), 'INVALID_PARAMETER_VALUE');
  });
});
