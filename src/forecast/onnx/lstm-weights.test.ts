import { describe, expect, it } from 'vitest';
import { toOnnxLstmWeights } from './lstm-weights.js';

describe('toOnnxLstmWeights', () => {
  // One unit, two inputs: tfjs columns are gates i, f, c, o; ONNX rows are i, o, f, c.
  const layer = {
    units: 1,
    kernel: Float32Array.of(1, 2, 3, 4, 11, 12, 13, 14), // [2, 4]
    recurrentKernel: Float32Array.of(21, 22, 23, 24), // [1, 4]
    bias: Float32Array.of(31, 32, 33, 34),
  };

  it('transposes and reorders the gates, with the bias in Wb and zeros in Rb', () => {
    const { W, R, B } = toOnnxLstmWeights(layer, 2);
    expect(Array.from(W)).toEqual([1, 11, 4, 14, 2, 12, 3, 13]); // [4, 2]
    expect(Array.from(R)).toEqual([21, 24, 22, 23]);
    expect(Array.from(B)).toEqual([31, 34, 32, 33, 0, 0, 0, 0]);
  });

  it('rejects weights that do not fit the shapes', () => {
    expect(() => toOnnxLstmWeights(layer, 1)).toThrow(/kernel has 8 values, expected 4/);
  });
});
