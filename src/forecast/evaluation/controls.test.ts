import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../models/seeded-random.js';
import { forecastMetrics } from './forecast-metrics.js';
import { noisyPersistence } from './noisy-persistence.js';
import { shuffledReturnsCloses } from './shuffled-returns.js';

/** A seeded random walk of positive closes with ~1% daily moves. */
function randomWalk(rows: number, seed: number): Float64Array {
  const random = new SeededRandom(seed);
  const out = new Float64Array(rows);
  out[0] = 100;
  for (let t = 1; t < rows; t++) out[t] = (out[t - 1] ?? 0) * Math.exp(0.01 * random.normal());
  return out;
}

describe('noisyPersistence', () => {
  const closes = randomWalk(3001, 42);
  const previous = closes.slice(0, -1);
  const actual = closes.slice(1);

  it('is deterministic for a seed', () => {
    expect(noisyPersistence(previous, actual, 3)).toEqual(noisyPersistence(previous, actual, 3));
    expect(noisyPersistence(previous, actual, 3)).not.toEqual(
      noisyPersistence(previous, actual, 4),
    );
  });

  it('moves as much as the market and knows nothing', () => {
    const m = forecastMetrics({
      previous,
      actual,
      predicted: noisyPersistence(previous, actual, 5),
    });
    expect(Math.abs(m.change_std_ratio - 1)).toBeLessThan(0.06);
    expect(Math.abs(m.directional_accuracy - 0.5)).toBeLessThan(0.04);
    expect(Math.abs(m.skill - (1 - Math.SQRT2))).toBeLessThan(0.06); // independent noise: RMSE x sqrt 2
  });
});

describe('shuffledReturnsCloses', () => {
  const closes = randomWalk(200, 9);
  const shuffled = shuffledReturnsCloses(closes, 150, 1);

  it('permutes the training returns and leaves the rest untouched', () => {
    const returns = (xs: Float64Array, end: number): number[] =>
      Array.from({ length: end - 1 }, (_, i) => Math.log((xs[i + 1] ?? 0) / (xs[i] ?? 1)));
    const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
    const before = sorted(returns(closes, 150));
    const after = sorted(returns(shuffled, 150));
    after.forEach((r, i) => expect(r).toBeCloseTo(before[i] ?? Number.NaN, 12));
    expect(returns(shuffled, 150)).not.toEqual(returns(closes, 150));
    expect(shuffled[149]).toBeCloseTo(closes[149] ?? Number.NaN, 9); // the path joins up
    expect(shuffled.slice(150)).toEqual(closes.slice(150));
    expect(shuffledReturnsCloses(closes, 150, 1)).toEqual(shuffled);
  });

  it('rejects a bad trainEnd', () => {
    expect(() => shuffledReturnsCloses(closes, 201, 1)).toThrow(/trainEnd/);
  });
});
