import { describe, expect, it } from 'vitest';
import { dieboldMariano } from './diebold-mariano.js';
import { wilsonInterval } from './wilson-interval.js';

describe('dieboldMariano', () => {
  it('is undefined for a constant loss differential or too few points', () => {
    expect(dieboldMariano([1, 2, 3], [1, 2, 3]).statistic).toBeNaN();
    expect(dieboldMariano([1.1, 2.1, 3.1], [1, 2, 3]).pValue).toBeNaN(); // d = 0.1 up to rounding
    expect(dieboldMariano([1], [2]).hlnPValue).toBeNaN();
  });

  it('is antisymmetric in its two forecasts', () => {
    const a = [1, 4, 2, 0.5, 3];
    const b = [2, 1, 2.5, 1, 0.2];
    const ab = dieboldMariano(a, b);
    const ba = dieboldMariano(b, a);
    expect(ab.statistic).toBeCloseTo(-ba.statistic, 14);
    expect(ab.pValue).toBeCloseTo(ba.pValue, 14);
  });
});

describe('wilsonInterval', () => {
  // scipy 1.17: stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson')
  it.each([
    [50, 100, 0.4038315303659956, 0.5961684696340044],
    [0, 10, 0, 0.27753279986288926],
    [10, 10, 0.7224672001371109, 1],
    [130, 252, 0.4543972506735337, 0.5768721144906432],
  ])('%d of %d matches scipy', (k, n, low, high) => {
    const ci = wilsonInterval(k, n);
    expect(ci.low).toBeCloseTo(low, 12);
    expect(ci.high).toBeCloseTo(high, 12);
  });

  it('is NaN for no trials', () => {
    expect(wilsonInterval(0, 0).low).toBeNaN();
  });
});
