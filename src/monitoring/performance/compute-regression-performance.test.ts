import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { computeRegressionPerformance } from './compute-regression-performance.js';
import type { ScoredPrediction } from './performance-types.js';

const DAY = 86_400_000;
const T0 = 20_000 * DAY; // a UTC midnight (2024-10-04)

/**
 * Four days, hand-computed:
 *   error = predicted - actual        = 1, -2, 3, 0
 *   MAE   = (1 + 2 + 3 + 0) / 4       = 1.5
 *   RMSE  = sqrt((1 + 4 + 9 + 0) / 4) = sqrt(3.5)
 *   MAPE  = (1/10 + 2/20 + 3/30 + 0/40) / 4 = 0.3 / 4 = 0.075
 *   ME    = (1 - 2 + 3 + 0) / 4       = 0.5
 *   baseline - actual = 2, -10, -10, -10 -> RMSE(baseline) = sqrt((4 + 300) / 4) = sqrt(76)
 *   skill = 1 - sqrt(3.5) / sqrt(76)
 */
const FOUR_DAYS: ScoredPrediction[] = [
  { timestamp: T0, label: 'd1', predicted: 11, actual: 10, baseline: 12 },
  { timestamp: T0 + DAY, label: 'd2', predicted: 18, actual: 20, baseline: 10 },
  { timestamp: T0 + 2 * DAY, label: 'd3', predicted: 33, actual: 30, baseline: 20 },
  { timestamp: T0 + 3 * DAY, label: 'd4', predicted: 40, actual: 40, baseline: 30 },
];

const rowsAt = (n: number): ScoredPrediction[] =>
  Array.from({ length: n }, (_, i) => ({ timestamp: T0 + i, predicted: i + 1, actual: i }));

describe('computeRegressionPerformance: overall scores', () => {
  it('computes MAE, RMSE, MAPE (a fraction), mean error and skill by hand', () => {
    const { overall, unscored, problems } = computeRegressionPerformance(FOUR_DAYS);
    expect(overall.count).toBe(4);
    expect(overall.mae).toBeCloseTo(1.5, 14);
    expect(overall.rmse).toBeCloseTo(Math.sqrt(3.5), 14);
    expect(overall.mape).toBeCloseTo(0.075, 14);
    expect(overall.meanError).toBeCloseTo(0.5, 14);
    expect(overall.baselineRmse).toBeCloseTo(Math.sqrt(76), 14);
    expect(overall.skill).toBeCloseTo(1 - Math.sqrt(3.5) / Math.sqrt(76), 14);
    expect(unscored).toBe(0);
    expect(problems).toEqual([]);
  });

  it('uses |actual| for MAPE, so negative actuals count (Evidently omits the abs)', () => {
    // |1 - (-2)| / 2 = 1.5 and |-1 - (-4)| / 4 = 0.75 -> mean 1.125
    const { overall } = computeRegressionPerformance([
      { timestamp: 1, predicted: 1, actual: -2 },
      { timestamp: 2, predicted: -1, actual: -4 },
    ]);
    expect(overall.mape).toBeCloseTo(1.125, 14);
  });

  it('gives change = overall - registered for each metric both sides have', () => {
    const registered = { mae: 1, rmse: 2, skill: 0.5 };
    const perf = computeRegressionPerformance(FOUR_DAYS, { registered });
    expect(perf.registered).toEqual(registered);
    expect(perf.change?.mae).toBeCloseTo(1.5 - 1, 14);
    expect(perf.change?.rmse).toBeCloseTo(Math.sqrt(3.5) - 2, 14);
    expect(perf.change?.skill).toBeCloseTo(1 - Math.sqrt(3.5 / 76) - 0.5, 14);
    expect(perf.change).not.toHaveProperty('mape');
  });

  it('leaves a metric out of change when either side has no value', () => {
    const rows = FOUR_DAYS.map(({ baseline: _baseline, ...row }) => row);
    const perf = computeRegressionPerformance(rows, { registered: { mape: null, skill: 0.1 } });
    expect(perf.change).toEqual({});
  });

  it('has no registered or change keys without registered scores', () => {
    const perf = computeRegressionPerformance(FOUR_DAYS);
    expect(perf).not.toHaveProperty('registered');
    expect(perf).not.toHaveProperty('change');
  });
});

describe('computeRegressionPerformance: missing actuals and undefined metrics', () => {
  it('handles empty input: no windows, NaN error means, null ratios, a problem', () => {
    const perf = computeRegressionPerformance([]);
    expect(perf.overall.count).toBe(0);
    expect(perf.overall.mae).toBeNaN();
    expect(perf.overall.rmse).toBeNaN();
    expect(perf.overall.meanError).toBeNaN();
    expect(perf.overall.mape).toBeNull();
    expect(perf.overall.skill).toBeNull();
    expect(perf.overall.baselineRmse).toBeNull();
    expect(perf.windows).toEqual([]);
    expect(perf.unscored).toBe(0);
    expect(perf.problems).toEqual(['no predictions in the window: nothing to score']);
  });

  it('counts rows without an actual (NaN, or absent in JSON) as unscored', () => {
    const rows = [
      { timestamp: 1, predicted: 1, actual: NaN },
      { timestamp: 2, predicted: 2 } as unknown as ScoredPrediction,
      { timestamp: 3, predicted: 3, actual: null } as unknown as ScoredPrediction,
    ];
    const perf = computeRegressionPerformance(rows);
    expect(perf.unscored).toBe(3);
    expect(perf.overall.count).toBe(0);
    expect(perf.windows).toEqual([]);
    expect(perf.problems).toEqual([
      'none of the 3 predictions has an actual yet: nothing to score',
    ]);
  });

  it('scores only the rows with an actual', () => {
    const rows = [...FOUR_DAYS, { timestamp: T0 + 4 * DAY, predicted: 50, actual: NaN }];
    const perf = computeRegressionPerformance(rows);
    expect(perf.unscored).toBe(1);
    expect(perf.overall.count).toBe(4);
    expect(perf.overall.mae).toBeCloseTo(1.5, 14);
  });

  it('gives MAPE null when an actual is 0, and says so', () => {
    // the window without the zero still has a MAPE: |3 - 2| / 2 = 0.5
    const rows = [
      { timestamp: 1, predicted: 1, actual: 0 },
      { timestamp: 2, predicted: 3, actual: 2 },
    ];
    const perf = computeRegressionPerformance(rows, { window: { rows: 1 } });
    expect(perf.overall.mape).toBeNull();
    expect(perf.overall.mae).toBeCloseTo(1, 14);
    expect(perf.windows.map((w) => w.mape)).toEqual([null, 0.5]);
    expect(perf.problems).toEqual([
      'MAPE is not defined: the actual is 0 on 1 of 2 scored rows',
      'skill is not computed: 2 of 2 scored rows have no baseline',
    ]);
  });

  it('gives skill null unless every scored row has a baseline', () => {
    const rows = [{ ...FOUR_DAYS[0]!, baseline: NaN }, ...FOUR_DAYS.slice(1)];
    const perf = computeRegressionPerformance(rows);
    expect(perf.overall.skill).toBeNull();
    expect(perf.overall.baselineRmse).toBeNull();
    expect(perf.problems).toEqual(['skill is not computed: 1 of 4 scored rows have no baseline']);
  });

  it('gives skill null when the baseline is exact (RMSE 0), not -Infinity', () => {
    const perf = computeRegressionPerformance([
      { timestamp: 1, predicted: 2, actual: 1, baseline: 1 },
    ]);
    expect(perf.overall.baselineRmse).toBe(0);
    expect(perf.overall.skill).toBeNull();
    expect(perf.problems).toEqual([
      'skill is not defined: the baseline matches every actual exactly (RMSE 0)',
    ]);
  });
});

describe('computeRegressionPerformance: windows over time', () => {
  it('sorts rows by timestamp and cuts windows of N rows', () => {
    const shuffled = [FOUR_DAYS[2]!, FOUR_DAYS[0]!, FOUR_DAYS[3]!, FOUR_DAYS[1]!];
    const { windows } = computeRegressionPerformance(shuffled, { window: { rows: 2 } });
    expect(windows).toHaveLength(2);
    // d1, d2: errors 1, -2 -> MAE 1.5, RMSE sqrt(5 / 2), ME -0.5
    expect(windows[0]).toMatchObject({ count: 2, start: T0, end: T0 + DAY });
    expect(windows[0]).toMatchObject({ startLabel: 'd1', endLabel: 'd2' });
    expect(windows[0]!.mae).toBeCloseTo(1.5, 14);
    expect(windows[0]!.rmse).toBeCloseTo(Math.sqrt(5 / 2), 14);
    expect(windows[0]!.meanError).toBeCloseTo(-0.5, 14);
    // d3, d4: errors 3, 0 -> MAE 1.5, RMSE sqrt(9 / 2); baseline errors -10, -10 -> RMSE 10
    expect(windows[1]).toMatchObject({ count: 2, start: T0 + 2 * DAY, end: T0 + 3 * DAY });
    expect(windows[1]!.rmse).toBeCloseTo(Math.sqrt(4.5), 14);
    expect(windows[1]!.skill).toBeCloseTo(1 - Math.sqrt(4.5) / 10, 14);
  });

  it('keeps the newest rows in a shorter last window', () => {
    const { windows } = computeRegressionPerformance(FOUR_DAYS, { window: { rows: 3 } });
    expect(windows.map((w) => w.count)).toEqual([3, 1]);
    expect(windows[1]!.start).toBe(T0 + 3 * DAY);
  });

  it('groups rows by duration, aligned to multiples of it since the epoch, skipping empty ones', () => {
    const hour = 3_600_000;
    const rows = [
      { timestamp: T0 + 23 * hour, predicted: 2, actual: 0 }, // day 0
      { timestamp: T0 + hour, predicted: 1, actual: 0 }, // day 0
      { timestamp: T0 + DAY, predicted: 3, actual: 0 }, // day 1 starts at midnight
      { timestamp: T0 + 3 * DAY + 12 * hour, predicted: 4, actual: 0 }, // day 3; day 2 is empty
    ];
    const { windows } = computeRegressionPerformance(rows, { window: { ms: DAY } });
    expect(windows.map((w) => [w.count, w.start, w.end])).toEqual([
      [2, T0 + hour, T0 + 23 * hour],
      [1, T0 + DAY, T0 + DAY],
      [1, T0 + 3 * DAY + 12 * hour, T0 + 3 * DAY + 12 * hour],
    ]);
    expect(windows.map((w) => w.mae)).toEqual([1.5, 3, 4]);
  });

  it('defaults to about ten windows of at least five rows', () => {
    const sizes = (n: number) =>
      computeRegressionPerformance(rowsAt(n)).windows.map((w) => w.count);
    expect(sizes(100)).toEqual(Array(10).fill(10));
    expect(sizes(12)).toEqual([6, 6]);
    expect(sizes(7)).toEqual([7]);
    expect(sizes(3)).toEqual([3]);
    // 53 rows: boundaries floor(i * 53 / 10) = 0 5 10 15 21 26 31 37 42 47 53
    expect(sizes(53)).toEqual([5, 5, 5, 6, 5, 5, 6, 5, 5, 6]);
  });

  it('rejects a window that is not a positive size', () => {
    expect(() => computeRegressionPerformance(FOUR_DAYS, { window: { rows: 0 } })).toThrow(
      /window\.rows is 0; expected a positive integer/,
    );
    expect(() => computeRegressionPerformance([], { window: { rows: 2.5 } })).toThrow(
      /window\.rows is 2\.5/,
    );
    expect(() => computeRegressionPerformance(FOUR_DAYS, { window: { ms: -1 } })).toThrow(
      /window\.ms is -1; expected a positive number of milliseconds/,
    );
  });
});

describe('computeRegressionPerformance: bad rows', () => {
  const bad = (row: Partial<ScoredPrediction>) => [
    FOUR_DAYS[0]!,
    FOUR_DAYS[1]!,
    { ...FOUR_DAYS[2]!, ...row },
  ];
  const error = (rows: ScoredPrediction[]) => {
    try {
      computeRegressionPerformance(rows);
    } catch (e) {
      return e;
    }
    throw new Error('expected a throw');
  };

  it('throws on a non-finite prediction, naming the row and its label', () => {
    const e = error(bad({ predicted: NaN }));
    expect(MlopsError.is(e) && e.code).toBe('INVALID_PARAMETER_VALUE');
    expect((e as MlopsError).message).toBe(
      'row 2 (d3): predicted is NaN; expected a finite number',
    );
    expect((e as MlopsError).details).toEqual({ row: 2, field: 'predicted' });
    expect(() => computeRegressionPerformance(bad({ predicted: Infinity }))).toThrow(
      /row 2 \(d3\): predicted is Infinity/,
    );
  });

  it('throws on an infinite actual or baseline, and a non-finite timestamp', () => {
    expect(() => computeRegressionPerformance(bad({ actual: -Infinity }))).toThrow(
      /row 2 \(d3\): actual is -Infinity; expected a finite number, or NaN while it is not known yet/,
    );
    expect(() => computeRegressionPerformance(bad({ baseline: Infinity }))).toThrow(
      /row 2 \(d3\): baseline is Infinity/,
    );
    expect(() => computeRegressionPerformance(bad({ timestamp: NaN }))).toThrow(
      /row 2 \(d3\): timestamp is NaN; expected epoch milliseconds/,
    );
  });
});
