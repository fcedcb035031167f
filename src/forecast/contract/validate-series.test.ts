import { describe, expect, it } from 'vitest';
import type { Bar } from '../series/index.js';
import type { ContractOptions } from './contract-options.js';
import { validateSeries } from './validate-series.js';
import type { ContractInput, RuleName, ValidationReport } from './validation-report.js';

/** n valid bars on consecutive business days from Thu 2020-01-02, a gentle deterministic walk. */
function makeBars(n: number): Bar[] {
  const bars: Bar[] = [];
  const day = new Date(Date.UTC(2020, 0, 2));
  for (let i = 0; i < n; i++) {
    const close = 100 + 2 * Math.sin(i / 3) + (i % 5) * 0.3;
    const open = close - 0.2;
    bars.push({
      date: day.toISOString().slice(0, 10),
      open,
      high: close + 1,
      low: open - 1,
      close,
      volume: 1000 + i,
    });
    do day.setUTCDate(day.getUTCDate() + 1);
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  }
  return bars;
}

/** Input with file lines 2.. and bar i replaced by `patch(bar)`. */
function withBars(bars: Bar[], patches: Record<number, Partial<Bar>> = {}): ContractInput {
  const patched = bars.map((b, i) => ({ ...b, ...patches[i] }));
  return { bars: patched, lines: patched.map((_, i) => i + 2) };
}

const ofRule = (report: ValidationReport, rule: RuleName) =>
  [...report.errors, ...report.warnings].filter((i) => i.rule === rule);

const GOOD = withBars(makeBars(120));

describe('validateSeries', () => {
  it('passes a clean series with no issues and reports its range', () => {
    const report = validateSeries(GOOD);
    expect(report).toMatchObject({ ok: true, rows: 120, errors: [], warnings: [], counts: {} });
    expect(report.firstDate).toBe('2020-01-02');
    expect(report.lastDate).toBe(GOOD.bars.at(-1)?.date);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('required-columns: fails when a listed column is missing, passes with any spelling', () => {
    const missing = validateSeries({ ...GOOD, columns: ['Date', 'Open', 'High', 'Low', 'Close'] });
    expect(missing.ok).toBe(false);
    expect(ofRule(missing, 'required-columns')).toMatchObject([
      { severity: 'error', column: 'volume' },
    ]);
    const present = validateSeries({
      ...GOOD,
      columns: ['DATE', 'open', 'High', 'low', 'Close', 'Adj Close', 'VOLUME'],
    });
    expect(ofRule(present, 'required-columns')).toEqual([]);
  });

  it('values-parse: reports loader problems and non-finite values with line and column', () => {
    const problems = [{ line: 7, column: 'close', value: 'null', expected: 'a number' }];
    const report = validateSeries({
      ...withBars(makeBars(120), { 3: { volume: Number.NaN } }),
      problems,
    });
    expect(report.ok).toBe(false);
    expect(ofRule(report, 'values-parse')).toMatchObject([
      {
        line: 7,
        column: 'close',
        value: 'null',
        message: "line 7, column close: 'null' is not a number",
      },
      { line: 5, column: 'volume', date: '2020-01-07' },
    ]);
    expect(ofRule(validateSeries({ ...GOOD, problems: [] }), 'values-parse')).toEqual([]);
  });

  it('dates-increasing: names duplicates and out-of-order rows', () => {
    const bars = makeBars(120);
    const report = validateSeries(
      withBars(bars, { 5: { date: bars[4]!.date }, 9: { date: '2019-12-31' } }),
    );
    expect(report.ok).toBe(false);
    const issues = ofRule(report, 'dates-increasing');
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatchObject({
      line: 7,
      message: expect.stringContaining('duplicate date'),
    });
    expect(issues[1]).toMatchObject({
      line: 11,
      date: '2019-12-31',
      message: expect.stringContaining('before'),
    });
  });

  it('dates-increasing: a newest-first series gets one issue saying to sort', () => {
    const report = validateSeries({ bars: makeBars(120).reverse() });
    expect(ofRule(report, 'dates-increasing')).toMatchObject([
      { message: expect.stringContaining('newest first') },
    ]);
  });

  it('ohlc-consistent: fails on Close > High and Open < Low, naming date and line', () => {
    const bars = makeBars(120);
    const report = validateSeries(
      withBars(bars, { 10: { close: bars[10]!.high + 5 }, 20: { open: bars[20]!.low - 1 } }),
    );
    expect(report.ok).toBe(false);
    expect(ofRule(report, 'ohlc-consistent')).toMatchObject([
      {
        line: 12,
        date: bars[10]!.date,
        column: 'close',
        message: expect.stringMatching(/Close .* > High/),
      },
      { line: 22, column: 'open', message: expect.stringMatching(/Open .* < Low/) },
    ]);
    expect(ofRule(validateSeries(GOOD), 'ohlc-consistent')).toEqual([]);
  });

  it('positive-values: fails on a zero price and a negative volume; zero volume is fine', () => {
    const report = validateSeries(
      withBars(makeBars(120), { 4: { low: 0 }, 8: { volume: -1 }, 9: { volume: 0 } }),
    );
    expect(ofRule(report, 'positive-values')).toMatchObject([
      { line: 6, column: 'low', value: 0 },
      { line: 10, column: 'volume', value: -1 },
    ]);
    expect(report.ok).toBe(false);
  });

  it('enough-rows: says what was needed and what was found', () => {
    const report = validateSeries(withBars(makeBars(30)), { windowSize: 60 });
    expect(report.ok).toBe(false);
    expect(ofRule(report, 'enough-rows')).toMatchObject([
      {
        value: 30,
        message:
          'needs at least 90 rows (window 60 + 30 for training windows and test rows), found 30',
      },
    ]);
    expect(ofRule(validateSeries(withBars(makeBars(90))), 'enough-rows')).toEqual([]);
    expect(ofRule(validateSeries({ bars: [] }), 'enough-rows')[0]?.message).toContain(
      'found no data rows',
    );
    expect(validateSeries({ bars: [] })).toMatchObject({ firstDate: null, lastDate: null });
  });

  it('date-gaps: warns past N business days (weekends not counted) without failing', () => {
    const bars = makeBars(120);
    // Bars 50.. move two weeks later: bar 50 is 11 business days after bar 49.
    const late = makeBars(120).map((b, i) => (i >= 50 ? { ...b, date: shift(b.date, 14) } : b));
    const report = validateSeries(withBars(late));
    expect(report.ok).toBe(true);
    expect(ofRule(report, 'date-gaps')).toMatchObject([
      { severity: 'warning', line: 52, value: 11 },
    ]);
    expect(ofRule(validateSeries(withBars(late), { maxGapBusinessDays: 11 }), 'date-gaps')).toEqual(
      [],
    );
    expect(ofRule(validateSeries(withBars(bars)), 'date-gaps')).toEqual([]);
  });

  it('return-outliers: warns on a jump of many robust sigmas without failing', () => {
    const bars = makeBars(120);
    const b = bars[60]!;
    const spike = { open: b.open * 2, high: b.high * 2, low: b.low * 2, close: b.close * 2 };
    const report = validateSeries(withBars(bars, { 60: spike }));
    expect(report.ok).toBe(true);
    // The jump up and the fall back the next day.
    expect(ofRule(report, 'return-outliers')).toMatchObject([
      { severity: 'warning', line: 62 },
      { severity: 'warning', line: 63 },
    ]);
    expect(ofRule(validateSeries(GOOD), 'return-outliers')).toEqual([]);
  });

  it('caps the issues listed per rule and counts the rest', () => {
    const bars = makeBars(120).map((b) => ({ ...b, close: b.high + 1 }));
    const report = validateSeries({ bars }, { maxIssuesPerRule: 5 });
    expect(ofRule(report, 'ohlc-consistent')).toHaveLength(5);
    expect(report.counts['ohlc-consistent']).toBe(120);
    expect(report.omitted['ohlc-consistent']).toBe(115);
  });

  it('rejects invalid options, naming them', () => {
    const thrown = (options: ContractOptions): unknown => {
      try {
        validateSeries(GOOD, options);
      } catch (err) {
        return err;
      }
      return undefined;
    };
    expect(thrown({ windowSize: 0 })).toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringContaining('windowSize must be an integer >= 1, got 0'),
    });
    expect(thrown({ outlierSigmas: -1 })).toMatchObject({
      message: expect.stringContaining('outlierSigmas'),
    });
    expect(thrown({ maxGapBusinessDays: 2.5 })).toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });
});

function shift(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
