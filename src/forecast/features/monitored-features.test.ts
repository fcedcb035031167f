import { describe, expect, it } from 'vitest';
import {
  MONITORED_FEATURE_COLUMNS,
  monitoredFeatures,
  windowFeatures,
} from './monitored-features.js';

describe('windowFeatures', () => {
  it('names five columns in a fixed order', () => {
    expect(MONITORED_FEATURE_COLUMNS).toEqual([
      'last_close',
      'last_log_return',
      'return_5d',
      'volatility_20d',
      'mean_log_return',
    ]);
  });

  it('uses only the last 20 log returns for volatility', () => {
    // A jump from 50 to 100 is the 21st-last return: outside the 20, so the volatility is 0.
    const closes = [50, ...Array.from({ length: 21 }, (_, i) => 100 * 1.01 ** i)];
    const [last, lastReturn, r5, vol, mean] = windowFeatures(closes);
    expect(last).toBeCloseTo(100 * 1.01 ** 20, 10);
    expect(lastReturn).toBeCloseTo(Math.log(1.01), 12);
    expect(r5).toBeCloseTo(1.01 ** 5 - 1, 12);
    expect(vol).toBeCloseTo(0, 12);
    // Mean over all 21 returns: (ln 2 + 20 ln 1.01) / 21.
    expect(mean).toBeCloseTo((Math.log(2) + 20 * Math.log(1.01)) / 21, 12);
  });

  it('computes the sample standard deviation of the returns by hand', () => {
    // 21 closes: returns alternate +10% / -10% around 100, 110, 99, 108.9, ...
    const closes = [100];
    for (let i = 0; i < 20; i++) closes.push((closes.at(-1) ?? 0) * (i % 2 === 0 ? 1.1 : 0.9));
    const up = Math.log(1.1);
    const down = Math.log(0.9);
    const mean = (10 * up + 10 * down) / 20;
    const std = Math.sqrt((10 * (up - mean) ** 2 + 10 * (down - mean) ** 2) / 19);
    const f = windowFeatures(closes);
    expect(f[1]).toBeCloseTo(down, 12); // the 20th return is the 10th fall
    expect(f[2]).toBeCloseTo(0.9 ** 3 * 1.1 ** 2 - 1, 12); // fall, rise, fall, rise, fall
    expect(f[3]).toBeCloseTo(std, 12);
    expect(f[4]).toBeCloseTo(mean, 12);
  });

  it('uses what a short window has: 3 returns, return over 3 days', () => {
    const [last, lastReturn, r5, vol, mean] = windowFeatures([100, 110, 99, 108.9]);
    const a = Math.log(1.1);
    const b = Math.log(0.9);
    const m = (2 * a + b) / 3;
    expect(last).toBe(108.9);
    expect(lastReturn).toBeCloseTo(a, 12);
    expect(r5).toBeCloseTo(0.089, 12);
    expect(vol).toBeCloseTo(Math.sqrt((2 * (a - m) ** 2 + (b - m) ** 2) / 2), 12);
    expect(mean).toBeCloseTo(Math.log(1.089) / 3, 12);
  });

  it('gives volatility 0 for a window of two closes and refuses one close', () => {
    expect(windowFeatures([100, 105])[3]).toBe(0);
    expect(() => windowFeatures([100])).toThrow(/at least 2 closes, got 1/);
  });
});

describe('monitoredFeatures', () => {
  it('gives one row per target row, from the window that predicts it', () => {
    const closes = Float64Array.from({ length: 10 }, (_, i) => 100 + i);
    const rows = monitoredFeatures(closes, 3);
    expect(rows).toHaveLength(7); // targets 3..9
    expect(rows[0]).toEqual(windowFeatures([100, 101, 102]));
    expect(rows.at(-1)).toEqual(windowFeatures([106, 107, 108]));
    expect(monitoredFeatures(closes, 3, 5, 7)).toEqual([
      windowFeatures([102, 103, 104]),
      windowFeatures([103, 104, 105]),
    ]);
  });

  it('refuses a window below 2', () => {
    expect(() => monitoredFeatures(new Float64Array(5), 1)).toThrow(/integer >= 2, got 1/);
  });
});
