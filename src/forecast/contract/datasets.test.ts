import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDatasetPath, loadPriceCsv } from '../series/index.js';
import { formatValidationReport } from './format-validation-report.js';
import { validateSeries } from './validate-series.js';

const GOOG = '/work/shared/data/goog-2018-2023.csv';

describe('the contract on real data', () => {
  it.skipIf(!existsSync(GOOG))(
    `passes ${GOOG} (skipped when the shared file is absent)`,
    async () => {
      const report = validateSeries(await loadPriceCsv(GOOG));
      expect(report).toMatchObject({
        ok: true,
        rows: 1258,
        firstDate: '2018-03-27',
        lastDate: '2023-03-24',
      });
    },
  );

  it('passes the embedded default dataset (vega-datasets sp500-2000), with crash days as warnings', async () => {
    const report = validateSeries(await loadPriceCsv(defaultDatasetPath()));
    expect(report).toMatchObject({
      ok: true,
      rows: 5105,
      firstDate: '2000-01-03',
      lastDate: '2020-04-17',
    });
    expect(report.warnings.map((w) => w.date)).toContain('2020-03-16');
  });
});

describe('the contract on bad files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-contract-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A Yahoo-form file of `rows` business days from 2020-01-02, with `edit` applied to row i. */
  async function csvFile(
    name: string,
    rows: number,
    edit = (cells: number[], _i: number) => cells,
  ) {
    const lines = ['Date,Open,High,Low,Close,Adj Close,Volume'];
    const day = new Date(Date.UTC(2020, 0, 2));
    for (let i = 0; i < rows; i++) {
      const close = 100 + (i % 7);
      const [open, high, low, c, volume] = edit([close - 0.5, close + 1, close - 1, close, 1e6], i);
      lines.push(`${day.toISOString().slice(0, 10)},${open},${high},${low},${c},${c},${volume}`);
      do day.setUTCDate(day.getUTCDate() + 1);
      while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
    }
    const path = join(dir, name);
    await writeFile(path, lines.join('\r\n') + '\r\n');
    return path;
  }

  it('Close > High on some rows fails, naming those lines', async () => {
    const path = await csvFile('close-above-high.csv', 200, (cells, i) =>
      i === 10 || i === 150 ? [cells[0]!, cells[1]!, cells[2]!, cells[1]! + 3, cells[4]!] : cells,
    );
    const report = validateSeries(await loadPriceCsv(path));
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => [e.rule, e.line])).toEqual([
      ['ohlc-consistent', 12],
      ['ohlc-consistent', 152],
    ]);
    expect(formatValidationReport(report)).toContain('2020-01-16 (line 12): Close 107 > High 104');
  });

  it('30 rows for a 60-day window fails with what was needed and found', async () => {
    const report = validateSeries(await loadPriceCsv(await csvFile('thirty.csv', 30)), {
      windowSize: 60,
    });
    expect(report.ok).toBe(false);
    expect(report.errors).toMatchObject([{ rule: 'enough-rows', value: 30 }]);
    expect(report.errors[0]?.message).toContain('needs at least 90 rows');
  });

  it('a header-only file fails the contract with a report', async () => {
    const report = validateSeries(await loadPriceCsv(await csvFile('header-only.csv', 0)));
    expect(report).toMatchObject({ ok: false, rows: 0, firstDate: null });
    expect(formatValidationReport(report)).toContain('found no data rows');
  });

  it('unparseable cells fail the contract, each with its line and column', async () => {
    const path = await csvFile('bad-cells.csv', 100, (cells, i) =>
      i === 3 ? [...cells.slice(0, 4), Number.NaN] : cells,
    );
    const report = validateSeries(await loadPriceCsv(path));
    expect(report.ok).toBe(false);
    expect(report.errors).toMatchObject([
      { rule: 'values-parse', line: 5, column: 'volume', value: 'NaN' },
    ]);
  });
});
