import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  sequenceLength,
  transformWindow,
  untransformOutput,
  type WindowTransform,
} from '../models/window-transform.js';
import { exportLstmOnnx, type LstmOnnxSpec } from './lstm.js';
import { gaussian, maxRelativeError, ParityFixture } from './parity-fixtures.js';
import { runOnnx } from './run-onnx.js';

const WINDOW = 12;
const UNITS = [8, 8];
const fixture = new ParityFixture(3);

function randomArray(length: number, scale: number): Float32Array {
  return Float32Array.from({ length }, () => scale * gaussian(fixture.random));
}

/** Seeded random weights; the head keeps predictions plausible prices for both transforms. */
function randomSpec(transform: WindowTransform): LstmOnnxSpec {
  const layers = UNITS.map((units, k) => ({
    units,
    kernel: randomArray((k === 0 ? 1 : (UNITS[k - 1] ?? 0)) * 4 * units, 0.5),
    recurrentKernel: randomArray(units * 4 * units, 0.3),
    bias: randomArray(4 * units, 0.2),
  }));
  const top = UNITS[UNITS.length - 1] ?? 0;
  const minmax = transform.kind === 'close_minmax';
  const dense = { kernel: randomArray(top, minmax ? 0.05 : 0.5), bias: minmax ? 0.5 : 0 };
  return { windowSize: WINDOW, transform, layers, dense };
}

/** The same network in tfjs layers (cpu backend), built from the spec's weights. */
function tfjsModel(spec: LstmOnnxSpec): tf.Sequential {
  const seq = sequenceLength(spec.transform, spec.windowSize);
  const model = tf.sequential();
  spec.layers.forEach((layer, k) => {
    const lstm = tf.layers.lstm({
      units: layer.units,
      activation: 'tanh',
      recurrentActivation: 'sigmoid',
      returnSequences: k < spec.layers.length - 1,
      ...(k === 0 ? { inputShape: [seq, 1] } : {}),
    });
    model.add(lstm);
    const inputDim = k === 0 ? 1 : (spec.layers[k - 1]?.units ?? 0);
    lstm.setWeights([
      tf.tensor2d(layer.kernel, [inputDim, 4 * layer.units]),
      tf.tensor2d(layer.recurrentKernel, [layer.units, 4 * layer.units]),
      tf.tensor1d(layer.bias),
    ]);
  });
  const dense = tf.layers.dense({ units: 1 });
  model.add(dense);
  dense.setWeights([
    tf.tensor2d(spec.dense.kernel, [spec.dense.kernel.length, 1]),
    tf.tensor1d([spec.dense.bias]),
  ]);
  return model;
}

/** next_close from tfjs, untransformed in float64 as the forecaster does. */
function reference(spec: LstmOnnxSpec, model: tf.Sequential, windows: Float64Array[]): number[] {
  const seq = sequenceLength(spec.transform, spec.windowSize);
  const x = windows.flatMap((w) => Array.from(transformWindow(spec.transform, w)));
  const y = tf.tidy(() => model.predict(tf.tensor3d(x, [windows.length, seq, 1])) as tf.Tensor);
  const ys = y.dataSync();
  y.dispose();
  return windows.map((w, i) => untransformOutput(spec.transform, w, ys[i] ?? Number.NaN));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(fixture.transforms())('exportLstmOnnx ($kind)', (transform) => {
  const spec = randomSpec(transform);
  const bytes = exportLstmOnnx(spec);

  it.each([1, 50, 256])('matches tfjs on %i windows to 1e-5 in price units', async (n) => {
    const windows = fixture.windows(n, WINDOW);
    const model = tfjsModel(spec);
    const expected = reference(spec, model, windows);
    model.dispose();
    const got = await runOnnx(bytes, windows);
    expect(got).toHaveLength(n);
    expect(maxRelativeError(got, expected)).toBeLessThan(1e-5);
  });
});

describe('exportLstmOnnx validation', () => {
  const spec = randomSpec(fixture.transforms()[0] as WindowTransform);

  it('rejects a dense head that does not fit the last layer', () => {
    const dense = { kernel: new Float32Array(3), bias: 0 };
    expect(() => exportLstmOnnx({ ...spec, dense })).toThrow(/Dense kernel/);
  });

  it('rejects a kernel that does not fit the layer', () => {
    const [first, ...rest] = spec.layers;
    const bad = { ...(first as LstmOnnxSpec['layers'][number]), kernel: new Float32Array(5) };
    expect(() => exportLstmOnnx({ ...spec, layers: [bad, ...rest] })).toThrow(/kernel/);
  });

  it('needs at least one layer', () => {
    expect(() => exportLstmOnnx({ ...spec, layers: [] })).toThrow(/at least one layer/);
  });
});
