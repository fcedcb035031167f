import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateSeries } from '../contract/index.js';
import { forecastMetrics } from '../evaluation/index.js';
import { writeForecastReport, type ForecastReportInput } from './forecast-report.js';

describe('writeForecastReport', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  const input = (): ForecastReportInput => {
    const actual = Float64Array.from({ length: 40 }, (_, i) => 100 + Math.sin(i / 3));
    const previous = Float64Array.from(actual, (_, i) => actual[Math.max(0, i - 1)] ?? 100);
    const predicted = Float64Array.from(previous, (p, i) => p + 0.01 * Math.cos(i));
    const dates = Array.from(
      { length: 40 },
      (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
    );
    const bars = dates.map((date, i) => ({
      date: `2023-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      open: 1,
      high: 2,
      low: 0.5,
      close: 1.5,
      volume: 10,
    }));
    return {
      model: 'lstm',
      dates,
      actual,
      predicted,
      epochs: [
        { epoch: 1, loss: 1.2, valLoss: 1.4 },
        { epoch: 2, loss: 1.0, valLoss: 1.3 },
      ],
      metrics: forecastMetrics({ actual, predicted, previous }),
      validation: validateSeries({ bars }, { windowSize: 5, minRowsBeyondWindow: 1 }),
    };
  };

  it('writes byte-identical files for the same inputs (no timestamps, no run ids)', async () => {
    const contents: Record<string, Buffer>[] = [];
    for (let i = 0; i < 2; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'mlops-report-'));
      dirs.push(dir);
      await writeForecastReport(dir, input());
      const files: Record<string, Buffer> = {};
      for (const name of (await readdir(dir)).sort()) files[name] = await readFile(join(dir, name));
      contents.push(files);
    }
    const [a, b] = contents as [Record<string, Buffer>, Record<string, Buffer>];
    expect(Object.keys(a)).toEqual(
      expect.arrayContaining([
        'actual_vs_predicted.svg',
        'residuals.svg',
        'learning_curves.svg',
        'report.html',
        'validation.json',
      ]),
    );
    for (const name of Object.keys(a))
      expect(b[name]?.equals(a[name] ?? Buffer.alloc(0)), name).toBe(true);
    const html = a['report.html']?.toString('utf8') ?? '';
    expect(html).toContain('<svg');
    expect(html).toContain('skill');
  });
});
