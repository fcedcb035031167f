import { SeededRandom } from './seeded-random.js';

/**
 * A seeded synthetic daily-close series for tests and demos: a geometric random walk whose log
 * returns carry a little AR(1) memory (so a model has something to find) around a start of 100.
 */
export function syntheticCloses(rows: number, seed = 1, ar = 0.3, volatility = 0.01): Float64Array {
  const rng = new SeededRandom(seed);
  const closes = new Float64Array(rows);
  let price = 100;
  let previous = 0;
  for (let t = 0; t < rows; t++) {
    const r = ar * previous + volatility * rng.normal();
    price *= Math.exp(r);
    closes[t] = price;
    previous = r;
  }
  return closes;
}
