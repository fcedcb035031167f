import { describe, expect, it } from 'vitest';
import { formatValidationReport } from './format-validation-report.js';
import { validateSeries } from './validate-series.js';

const bar = (date: string, close: number) => ({
  date,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
});

describe('formatValidationReport', () => {
  it('summarises a failed report: verdict, rows, range, errors grouped by rule with the rest counted', () => {
    const bars = [
      bar('2020-01-02', 10),
      bar('2020-01-03', 10),
      { ...bar('2020-01-06', 10), high: 9 },
    ];
    const report = validateSeries(
      { bars, lines: [2, 3, 4], source: 'prices.csv' },
      { windowSize: 2, minRowsBeyondWindow: 5, maxIssuesPerRule: 1 },
    );
    const text = formatValidationReport({
      ...report,
      omitted: { 'ohlc-consistent': 2 },
      counts: { ...report.counts, 'ohlc-consistent': 3 },
    });
    expect(text).toBe(
      [
        'Data contract FAILED: prices.csv',
        '  3 rows, 2020-01-02 .. 2020-01-06; 4 errors, 0 warnings',
        'Errors:',
        '  enough-rows (1): enough rows for the window',
        '    - needs at least 7 rows (window 2 + 5 for training windows and test rows), found 3',
        '  ohlc-consistent (3): Low <= Open, Close <= High',
        '    - 2020-01-06 (line 4): Low 10 > High 9; Open 10 > High 9; Close 10 > High 9; expected Low <= Open, Close <= High',
        '    ... and 2 more',
      ].join('\n'),
    );
  });

  it('says OK for a report without errors', () => {
    const report = validateSeries(
      { bars: [bar('2020-01-02', 10)] },
      { windowSize: 1, minRowsBeyondWindow: 0 },
    );
    expect(formatValidationReport(report)).toBe(
      'Data contract OK\n  1 rows, 2020-01-02 .. 2020-01-02; 0 errors, 0 warnings',
    );
  });
});
