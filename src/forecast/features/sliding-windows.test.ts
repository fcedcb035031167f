import { describe, expect, it } from 'vitest';
import { partRange, slidingWindows, splitWindows } from './sliding-windows.js';
import { protocolSplit } from './split.js';

const closes = Float64Array.from({ length: 20 }, (_, i) => 100 + i);

describe('slidingWindows', () => {
  it('gives each target row the windowSize closes before it', () => {
    const set = slidingWindows(closes, 3, 5, 8);
    expect(set.firstTarget).toBe(5);
    expect(set.windows.map((w) => Array.from(w))).toEqual([
      [102, 103, 104],
      [103, 104, 105],
      [104, 105, 106],
    ]);
    expect(Array.from(set.targets)).toEqual([105, 106, 107]);
  });

  it('starts at the first row with a whole window and stops at the end of the series', () => {
    const set = slidingWindows(closes, 4, 0, 100);
    expect(set.firstTarget).toBe(4);
    expect(set.windows).toHaveLength(16);
    expect(set.targets.at(-1)).toBe(119);
  });

  it('copies windows, so editing one leaves the series alone', () => {
    const series = Float64Array.from(closes);
    slidingWindows(series, 3, 3, 4).windows[0]!.fill(0);
    expect(series[0]).toBe(100);
  });
});

describe('splitWindows', () => {
  it('covers the protocol parts without overlap', () => {
    const split = protocolSplit(100, 10); // testStart 80, validationStart 73
    expect(partRange(split, 'train')).toEqual([10, 73]);
    expect(partRange(split, 'validation')).toEqual([73, 80]);
    expect(partRange(split, 'test')).toEqual([80, 100]);
    const series = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    const test = splitWindows(series, split, 'test');
    expect(test.firstTarget).toBe(80);
    expect(test.targets).toHaveLength(20);
  });

  it('starts later for a model window longer than the split window', () => {
    const split = protocolSplit(100, 10);
    expect(partRange(split, 'train', 20)).toEqual([20, 73]);
  });
});
