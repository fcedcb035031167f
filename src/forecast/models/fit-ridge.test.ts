import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { choleskySolve } from './cholesky-solve.js';
import { fitRidge } from './fit-ridge.js';
import { SeededRandom } from './seeded-random.js';

describe('choleskySolve', () => {
  it('solves a symmetric positive definite system', () => {
    const a = Float64Array.of(4, 2, 0.4, 2, 5, 1, 0.4, 1, 3);
    const x = Float64Array.of(1, -2, 0.5);
    const b = Float64Array.of(4 - 4 + 0.2, 2 - 10 + 0.5, 0.4 - 2 + 1.5);
    const solved = choleskySolve(a, b, 3);
    solved.forEach((v, i) => expect(v).toBeCloseTo(x[i]!, 12));
  });

  it('names alpha when the system is singular', () => {
    expect(() => choleskySolve(Float64Array.of(1, 1, 1, 1), Float64Array.of(1, 1), 2)).toThrow(
      MlopsError,
    );
    expect(() => choleskySolve(Float64Array.of(1, 1, 1, 1), Float64Array.of(1, 1), 2)).toThrow(
      /alpha/,
    );
  });
});

describe('fitRidge', () => {
  const rng = new SeededRandom(5);
  const rows = Array.from({ length: 200 }, () =>
    Float64Array.from({ length: 3 }, () => rng.normal()),
  );
  const y = Float64Array.from(rows, (r) => 2 * r[0]! - r[1]! + 0.5 * r[2]! + 3);

  it('recovers an exact linear relation with alpha 0, intercept included', () => {
    const { weights, bias } = fitRidge(rows, y, 0);
    expect(Array.from(weights).map((w) => Number(w.toFixed(9)))).toEqual([2, -1, 0.5]);
    expect(bias).toBeCloseTo(3, 9);
  });

  it('shrinks the weights but not the intercept as alpha grows', () => {
    const small = fitRidge(rows, y, 1);
    const large = fitRidge(rows, y, 1e6);
    const norm = (w: Float64Array) => Math.hypot(...w);
    expect(norm(large.weights)).toBeLessThan(norm(small.weights) / 100);
    const yMean = y.reduce((a, b) => a + b) / y.length;
    expect(large.bias).toBeCloseTo(yMean, 2);
  });
});
