import { describe, expect, it } from 'vitest';
import { seededDropoutMasks } from './dropout-masks.js';
import { SeededRandom } from './seeded-random.js';

describe('seededDropoutMasks', () => {
  it('drops about `rate` of the values and scales the rest by 1/(1-rate)', () => {
    const mask = seededDropoutMasks(new SeededRandom(1))(10000, 0.25);
    const dropped = mask.filter((v) => v === 0).length / mask.length;
    expect(Math.abs(dropped - 0.25)).toBeLessThan(0.02);
    expect(new Set(mask)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
  });

  it('advances: two draws differ, and a second source from the same seed replays them', () => {
    const a = seededDropoutMasks(new SeededRandom(9));
    const b = seededDropoutMasks(new SeededRandom(9));
    const [a1, a2] = [a(64, 0.5), a(64, 0.5)];
    expect(Array.from(a2)).not.toEqual(Array.from(a1));
    expect(Array.from(b(64, 0.5))).toEqual(Array.from(a1));
    expect(Array.from(b(64, 0.5))).toEqual(Array.from(a2));
  });
});
