import { invalidParam } from '../../core/index.js';
import type { WindowTransform } from '../models/window-transform.js';
import { buildForecastModel } from './forecast-graph.js';
import { FLOAT, DOUBLE, type GraphBuilder } from './graph-builder.js';
import { toOnnxLstmWeights, type LstmLayerWeights } from './lstm-weights.js';
import { addWindowTransform } from './window-graph.js';

export interface LstmOnnxSpec {
  readonly windowSize: number;
  readonly transform: WindowTransform;
  /** Stacked layers, first to last (tanh activation, sigmoid recurrent activation). */
  readonly layers: readonly LstmLayerWeights[];
  /** Dense(1) head on the last layer's final hidden state: kernel [units]. */
  readonly dense: { readonly kernel: Float32Array; readonly bias: number };
}

/**
 * One ONNX LSTM layer on X [seq, N, in]. ONNX's default activations (Sigmoid, Tanh, Tanh) are
 * tfjs's recurrentActivation 'sigmoid' and activation 'tanh'. Returns Y [seq, 1, N, H] and
 * Y_h [1, N, H] (the 1 is num_directions).
 */
function addLayer(b: GraphBuilder, x: string, layer: LstmLayerWeights, inputDim: number) {
  const { W, R, B } = toOnnxLstmWeights(layer, inputDim);
  const H = layer.units;
  const [y = '', yH = ''] = b.ops(
    'LSTM',
    [x, b.float(W, [1, 4 * H, inputDim]), b.float(R, [1, 4 * H, H]), b.float(B, [1, 8 * H])],
    { hidden_size: H },
    2,
  );
  return { y, yH };
}

/**
 * The tfjs LSTM (stacked layers, dense head) as ONNX. The window transform runs in float64; the
 * recurrent core runs in float32 like tfjs.
 */
export function exportLstmOnnx(spec: LstmOnnxSpec): Uint8Array {
  const { windowSize, transform, layers, dense } = spec;
  const top = layers[layers.length - 1];
  if (!top) throw invalidParam('An LSTM export needs at least one layer.');
  if (dense.kernel.length !== top.units) {
    throw invalidParam(`Dense kernel has ${dense.kernel.length} values, expected ${top.units}.`);
  }
  return buildForecastModel('lstm', windowSize, (b, closes) => {
    const window = addWindowTransform(b, closes, transform, windowSize);
    // [N, seq] float64 -> [seq, N, 1] float32, ONNX's layout 0 (time-major).
    const timeMajor = b.op('Transpose', [b.op('Cast', [window.x], { to: FLOAT })], {
      perm: [1, 0],
    });
    let x = b.op('Unsqueeze', [timeMajor, b.int64([2])]);
    let yH = '';
    layers.forEach((layer, k) => {
      const out = addLayer(b, x, layer, k === 0 ? 1 : (layers[k - 1]?.units ?? 0));
      // The next layer reads the whole sequence (returnSequences); drop num_directions.
      if (k < layers.length - 1) x = b.op('Squeeze', [out.y, b.int64([1])]);
      yH = out.yH;
    });
    const last = b.op('Squeeze', [yH, b.int64([0])]); // [N, H]
    const head = b.op('MatMul', [last, b.float(dense.kernel, [top.units, 1])]);
    const y = b.op('Add', [head, b.float([dense.bias], [1])]);
    return window.untransform(b.op('Cast', [y], { to: DOUBLE }));
  });
}
