import type * as Tf from '@tensorflow/tfjs';
import { MlopsError } from '../../core/index.js';
import type { LstmOnnxSpec } from '../onnx/index.js';
import type { WindowTransform } from './window-transform.js';

const bug = (what: string) => new MlopsError('INTERNAL_ERROR', `The LSTM network ${what}.`);

/** The tfjs model's weights in the shape `exportLstmOnnx` takes (tfjs layout, gates i, f, c, o). */
export function lstmOnnxSpec(
  model: Tf.LayersModel,
  transform: WindowTransform,
  windowSize: number,
): LstmOnnxSpec {
  const values = (layer: Tf.layers.Layer) =>
    layer.getWeights().map((w) => Float32Array.from(w.dataSync()));
  const lstm = model.layers.slice(0, -1);
  const head = model.layers.at(-1);
  if (!head) throw bug('has no layers');
  const layers = lstm.map((layer) => {
    const [kernel, recurrentKernel, bias] = values(layer);
    const units = (layer.getConfig() as { units: number }).units;
    if (!kernel || !recurrentKernel || !bias) throw bug('has a layer without weights');
    return { units, kernel, recurrentKernel, bias };
  });
  const [kernel, bias] = values(head);
  if (!kernel || !bias) throw bug('has a head without weights');
  return { windowSize, transform, layers, dense: { kernel, bias: bias[0]! } };
}
