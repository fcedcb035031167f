import { invalidParam } from '../../core/index.js';
import { sequenceLength, type WindowTransform } from '../models/window-transform.js';
import { buildForecastModel } from './forecast-graph.js';
import { addWindowTransform } from './window-graph.js';

export interface RidgeOnnxSpec {
  readonly windowSize: number;
  readonly transform: WindowTransform;
  /** One weight per element of the transformed window (length = sequenceLength). */
  readonly weights: Float64Array;
  readonly bias: number;
}

/** The linear model as ONNX: y = x·w + b on the transformed window, then back to price units. */
export function exportRidgeOnnx(spec: RidgeOnnxSpec): Uint8Array {
  const { windowSize, transform, weights, bias } = spec;
  const inputs = sequenceLength(transform, windowSize);
  if (weights.length !== inputs) {
    throw invalidParam(
      `Ridge needs ${inputs} weights for window ${windowSize}, got ${weights.length}.`,
    );
  }
  return buildForecastModel('ridge', windowSize, (b, closes) => {
    const window = addWindowTransform(b, closes, transform, windowSize);
    const xw = b.op('MatMul', [window.x, b.double(weights, [inputs, 1])]);
    return window.untransform(b.op('Add', [xw, b.double([bias], [1])]));
  });
}
