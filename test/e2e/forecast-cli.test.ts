import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, mlops, tempWorkspace } from './cli-harness.js';

/** The shared folder beside the repository, or at its usual place when the clone is elsewhere. */
const GOOG =
  [
    join(REPO_ROOT, '..', 'shared', 'data', 'goog-2018-2023.csv'),
    '/work/shared/data/goog-2018-2023.csv',
  ].find((path) => existsSync(path)) ?? 'goog-2018-2023.csv (shared folder absent)';
const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';

/** A valid-looking daily series of `n` rows starting 2020-01-02 (weekdays only). */
function rows(n: number, edit?: (i: number, row: number[]) => void): string {
  const out = [HEADER];
  const day = new Date(Date.UTC(2020, 0, 2));
  for (let i = 0; i < n; i++) {
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
    const close = 100 + 10 * Math.sin(i / 7) + i * 0.05;
    const row = [close - 0.5, close + 1, close - 1, close, close, 1_000_000 + i];
    edit?.(i, row);
    out.push([day.toISOString().slice(0, 10), ...row.map((v) => v.toFixed(4))].join(','));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out.join('\n') + '\n';
}

describe('mlops forecast', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempWorkspace()));
  afterAll(() => cleanup());

  it('trains a model and prints one JSON object with the test metrics', async () => {
    await writeFile(join(dir, 'ok.csv'), rows(400));
    const out = await mlops(
      dir,
      'forecast',
      'train',
      '--data',
      'ok.csv',
      '--model',
      'linear',
      '--json',
    );
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as {
      run_id: string;
      model: string;
      metrics: Record<string, number>;
    };
    expect(result.model).toBe('linear');
    expect(result.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(result.metrics).sort()).toEqual(
      ['change_std_ratio', 'directional_accuracy', 'mae', 'mape', 'rmse', 'skill'].sort(),
    );
    const show = await mlops(dir, 'runs', 'show', result.run_id, '--json');
    const run = JSON.parse(show.stdout) as { run: { data: { params: Record<string, string> } } };
    expect(run.run.data.params['model']).toBe('linear');
  });

  it.skipIf(!existsSync(GOOG))(
    'reproduces the persistence RMSE of the GOOG protocol (2.6524)',
    async () => {
      const out = await mlops(
        dir,
        'forecast',
        'train',
        '--data',
        GOOG,
        '--model',
        'persistence',
        '--json',
      );
      expect(out.code, out.stderr).toBe(0);
      const result = JSON.parse(out.stdout) as {
        metrics: { rmse: number };
        ranges: { test: { firstRow: number; lastRow: number } };
      };
      expect(result.metrics.rmse).toBeCloseTo(2.6524, 4);
      expect(result.ranges.test).toMatchObject({ firstRow: 1006, lastRow: 1257 });
    },
  );

  it('backtests walk-forward with per-fold metrics', async () => {
    const out = await mlops(
      dir,
      'forecast',
      'backtest',
      '--data',
      'ok.csv',
      '--model',
      'linear',
      '--folds',
      '3',
      '--json',
    );
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as {
      folds: { metrics: { rmse: number } }[];
      mean: { rmse: number };
    };
    expect(result.folds).toHaveLength(3);
    const mean = result.folds.reduce((s, f) => s + f.metrics.rmse, 0) / 3;
    expect(result.mean.rmse).toBeCloseTo(mean, 10);
  });

  const bad: [string, string | Buffer, number, RegExp][] = [
    ['empty.csv', '', 2, /empty/i],
    ['header-only.csv', HEADER + '\n', 7, /enough-rows/],
    [
      'binary.csv',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0xff, 0xfe]),
      2,
      /binary|NUL/i,
    ],
    [
      'high.csv',
      rows(400, (i, r) => i % 50 === 7 && (r[3] = (r[1] ?? 0) + 5)),
      7,
      /ohlc-consistent/,
    ],
    ['short.csv', rows(30), 7, /enough-rows/],
  ];
  for (const [name, content, code, message] of bad) {
    it(`refuses ${name} with exit ${code} and trains nothing`, async () => {
      await writeFile(join(dir, name), content);
      const before = JSON.parse((await mlops(dir, 'runs', 'list', '--json')).stdout) as {
        runs: unknown[];
      };
      const out = await mlops(dir, 'forecast', 'train', '--data', name, '--model', 'lstm');
      expect(out.code, out.stderr).toBe(code);
      expect(out.stderr).toMatch(message);
      expect(out.stderr).not.toContain('internal error');
      const after = JSON.parse((await mlops(dir, 'runs', 'list', '--json')).stdout) as {
        runs: unknown[];
      };
      expect(after.runs).toHaveLength(before.runs.length);
    });
  }

  it('validate prints the report and exits 7 on a contract failure', async () => {
    const out = await mlops(dir, 'forecast', 'validate', 'high.csv', '--json');
    expect(out.code).toBe(7);
    const report = JSON.parse(out.stdout) as {
      ok: boolean;
      errors: { rule: string; line?: number }[];
    };
    expect(report.ok).toBe(false);
    expect(report.errors[0]).toMatchObject({ rule: 'ohlc-consistent', line: 9 });
    const text = await mlops(dir, 'forecast', 'validate', 'ok.csv');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('OK');
    expect(await readFile(join(dir, 'ok.csv'), 'utf8')).toContain(HEADER);
  });
});
