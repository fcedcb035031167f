import { describe, expect, it } from 'vitest';
import type { FitInput, Forecaster } from '../models/forecaster.js';
import { walkForwardBacktest } from './walk-forward-backtest.js';
import { walkForwardFolds } from './walk-forward-folds.js';

interface Seen {
  fit?: FitInput;
  windows?: readonly Float64Array[];
}

/** Mean-reverting toy: next = last + 0.5 (mean of the fitted closes - last). Records what it sees. */
function toyForecaster(windowSize: number, log: Seen[]): Forecaster {
  const seen: Seen = {};
  log.push(seen);
  let level = Number.NaN;
  return {
    kind: 'linear',
    windowSize,
    params: { toy: true },
    async fit(input) {
      seen.fit = input;
      level = input.closes.reduce((s, c) => s + c, 0) / input.closes.length;
    },
    async predict(windows) {
      seen.windows = windows;
      return Float64Array.from(windows, (w) => {
        const last = w[w.length - 1] ?? Number.NaN;
        return last + 0.5 * (level - last);
      });
    },
    async save() {},
    async exportOnnx() {
      return new Uint8Array();
    },
  };
}

const closes = Float64Array.from({ length: 300 }, (_, t) => 100 + 10 * Math.sin(t / 7) + t / 10);

describe('walkForwardFolds', () => {
  it('tiles the protocol test period with k blocks ending at the last row', () => {
    const folds = walkForwardFolds(300, { windowSize: 20, folds: 3 });
    // test period = rows from floor(0.8 * 300) = 240: 60 targets -> 3 blocks of 20
    expect(folds.map((f) => [f.testStart, f.testEnd])).toEqual([
      [240, 260],
      [260, 280],
      [280, 300],
    ]);
    // validation = last floor(0.1 * (testStart - windowSize)) windows before each block
    expect(folds.map((f) => f.split.validationStart)).toEqual([218, 236, 254]);
  });

  it('rejects folds that leave no training windows', () => {
    expect(() => walkForwardFolds(300, { windowSize: 20, folds: 3, testSize: 95 })).toThrow(
      /train on 0 windows and validate on 0/,
    );
    expect(() => walkForwardFolds(300, { windowSize: 0, folds: 3 })).toThrow(/windowSize/);
  });
});

describe('walkForwardBacktest', () => {
  it('refits per fold on rows before the block only and predicts from the true history', async () => {
    const log: Seen[] = [];
    const result = await walkForwardBacktest(() => toyForecaster(20, log), closes, {
      windowSize: 20,
      folds: 3,
    });
    expect(log).toHaveLength(3); // a fresh model per fold
    result.folds.forEach((fold, i) => {
      const seen = log[i];
      const fit = seen?.fit;
      // The fit input ends just before the fold's first test row: its test rows are unreachable.
      expect(fit?.closes.length).toBe(fold.testStart);
      expect(fit?.closes.buffer.byteLength).toBe(fold.testStart * 8);
      expect(fit?.split).toEqual(fold.split);
      expect(fit?.split.testStart).toBe(fit?.closes.length);
      expect(fit?.split.validationStart).toBeLessThan(fold.testStart);
      // One window per target t, the true closes t-20 .. t-1.
      expect(seen?.windows).toHaveLength(fold.testEnd - fold.testStart);
      seen?.windows?.forEach((w, j) => {
        const t = fold.testStart + j;
        expect(w).toEqual(closes.slice(t - 20, t));
      });
      expect(fold.metrics.n).toBe(20);
    });
  });

  it('reports the mean of each metric over folds and the pooled metrics', async () => {
    const result = await walkForwardBacktest(() => toyForecaster(20, []), closes, {
      windowSize: 20,
      folds: 3,
    });
    const rmses = result.folds.map((f) => f.metrics.rmse);
    expect(result.mean.rmse).toBeCloseTo((rmses[0]! + rmses[1]! + rmses[2]!) / 3, 12);
    expect(result.mean.n).toBe(20);
    expect(result.pooled.n).toBe(60);
    const mses = rmses.map((r) => r * r);
    expect(result.pooled.rmse).toBeCloseTo(Math.sqrt((mses[0]! + mses[1]! + mses[2]!) / 3), 12);
  });

  it('rejects a forecaster whose window differs from the options', async () => {
    await expect(
      walkForwardBacktest(() => toyForecaster(10, []), closes, { windowSize: 20, folds: 2 }),
    ).rejects.toThrow(/windowSize 10/);
  });
});
