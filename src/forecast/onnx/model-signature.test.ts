import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { IR_VERSION, OPSET_VERSION } from './graph-builder.js';
import { exportLstmOnnx } from './lstm.js';
import { ParityFixture } from './parity-fixtures.js';
import { exportPersistenceOnnx } from './persistence.js';
import { exportRidgeOnnx } from './ridge.js';

const { onnx } = onnxProto;
const WINDOW = 7;
const [logReturn, minmax] = new ParityFixture(4).transforms();
if (!logReturn || !minmax) throw new Error('fixture transforms');

const models: [string, () => Uint8Array][] = [
  ['persistence', () => exportPersistenceOnnx(WINDOW)],
  [
    'ridge',
    () =>
      exportRidgeOnnx({
        windowSize: WINDOW,
        transform: minmax,
        weights: new Float64Array(7),
        bias: 0,
      }),
  ],
  [
    'lstm',
    () =>
      exportLstmOnnx({
        windowSize: WINDOW,
        transform: logReturn,
        layers: [
          {
            units: 2,
            kernel: new Float32Array(8),
            recurrentKernel: new Float32Array(16),
            bias: new Float32Array(8),
          },
        ],
        dense: { kernel: new Float32Array(2), bias: 0 },
      }),
  ],
];

/** [elemType, dims] of a graph input or output, dynamic dims by name. */
function signature(v: onnxProto.onnx.IValueInfoProto | undefined) {
  const t = v?.type?.tensorType;
  const dims = t?.shape?.dim?.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));
  return { name: v?.name, elemType: t?.elemType, dims };
}

describe.each(models)('%s ONNX signature', (_name, build) => {
  const bytes = build();

  it('declares closes float32 [N, windowSize] -> next_close float32 [N, 1]', () => {
    const model = onnx.ModelProto.decode(bytes);
    expect(Number(model.irVersion)).toBe(IR_VERSION);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([
      ['', OPSET_VERSION],
    ]);
    const float = onnx.TensorProto.DataType.FLOAT;
    expect(model.graph?.input?.map(signature)).toEqual([
      { name: 'closes', elemType: float, dims: ['N', WINDOW] },
    ]);
    expect(model.graph?.output?.map(signature)).toEqual([
      { name: 'next_close', elemType: float, dims: ['N', 1] },
    ]);
  });

  it('is what onnxruntime sees, and the bytes are deterministic', async () => {
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['closes']);
    expect(session.outputNames).toEqual(['next_close']);
    await session.release();
    expect(build()).toEqual(bytes);
  });
});
