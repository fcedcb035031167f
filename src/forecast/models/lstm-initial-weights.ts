import type { SeededRandom } from './seeded-random.js';

/** One layer's initial weights as flat row-major arrays with their shapes. */
export interface InitialWeight {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/** Glorot (Xavier) uniform, Keras's default kernel initialiser. */
function glorotUniform(rng: SeededRandom, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: fanIn * fanOut }, () => (2 * rng.next() - 1) * limit);
}

/**
 * Keras's default recurrent initialiser: a [units, 4*units] matrix with orthonormal rows
 * (Gram-Schmidt in float64 on normal draws; tfjs's own version warns and is slow past 2000 values).
 */
function orthogonalRows(rng: SeededRandom, rows: number, cols: number): Float32Array {
  const q: Float64Array[] = [];
  for (let r = 0; r < rows; r++) {
    const v = Float64Array.from({ length: cols }, () => rng.normal());
    for (const u of q) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += v[c]! * u[c]!;
      for (let c = 0; c < cols; c++) v[c]! -= dot * u[c]!;
    }
    const norm = Math.hypot(...v);
    for (let c = 0; c < cols; c++) v[c]! /= norm;
    q.push(v);
  }
  const out = new Float32Array(rows * cols);
  q.forEach((row, r) => out.set(row, r * cols));
  return out;
}

/**
 * Initial weights for stacked LSTM layers and a dense(1) head, in tfjs's weight order (per layer:
 * kernel [in, 4u], recurrent kernel [u, 4u], bias [4u]; then dense kernel [u, 1], bias [1]), all
 * drawn from `rng` so the seed alone fixes them. Bias: zeros with the forget gate at 1 (Keras's
 * unit_forget_bias).
 */
export function lstmInitialWeights(
  rng: SeededRandom,
  units: number,
  layers: number,
  inputDim = 1,
): InitialWeight[] {
  const out: InitialWeight[] = [];
  for (let l = 0; l < layers; l++) {
    const input = l === 0 ? inputDim : units;
    out.push({ values: glorotUniform(rng, input, 4 * units), shape: [input, 4 * units] });
    out.push({ values: orthogonalRows(rng, units, 4 * units), shape: [units, 4 * units] });
    const bias = new Float32Array(4 * units);
    bias.fill(1, units, 2 * units);
    out.push({ values: bias, shape: [4 * units] });
  }
  out.push({ values: glorotUniform(rng, units, 1), shape: [units, 1] });
  out.push({ values: new Float32Array(1), shape: [1] });
  return out;
}
