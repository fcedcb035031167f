import type { WindowTransform } from '../models/window-transform.js';

/** mulberry32: a tiny seeded generator, so parity tests see the same numbers on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller). */
export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Fixtures for the ONNX parity tests: a positive geometric random walk kept within 100..3000,
 * windows cut from it, and transforms fitted on it.
 */
export class ParityFixture {
  readonly random: () => number;
  readonly series: Float64Array;

  constructor(seed: number, length = 2000) {
    this.random = seededRandom(seed);
    this.series = new Float64Array(length);
    let price = 1000;
    for (let i = 0; i < length; i++) {
      const next = price * Math.exp(0.02 * gaussian(this.random));
      price = next < 100 || next > 3000 ? price * (price / next) : next; // reflect at the bounds
      this.series[i] = price;
    }
  }

  /** `count` windows of `windowSize` closes at random positions of the series. */
  windows(count: number, windowSize: number): Float64Array[] {
    return Array.from({ length: count }, () => {
      const start = Math.floor(this.random() * (this.series.length - windowSize));
      return this.series.slice(start, start + windowSize);
    });
  }

  /** Both transform kinds with parameters fitted on the whole series. */
  transforms(): WindowTransform[] {
    const returns = this.series.subarray(1).map((c, i) => Math.log(c / (this.series[i] ?? c)));
    const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
    const std = Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / returns.length);
    return [
      { kind: 'log_return', inMean: mean, inStd: std, outMean: mean, outStd: std },
      { kind: 'close_minmax', min: Math.min(...this.series), max: Math.max(...this.series) },
    ];
  }
}

/** Largest |actual - expected| / |expected| over the pairs. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] ?? Number.NaN;
    worst = Math.max(worst, Math.abs((actual[i] ?? Number.NaN) - e) / Math.abs(e));
  }
  return worst;
}
