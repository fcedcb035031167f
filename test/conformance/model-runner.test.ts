import { describe, expect, it } from 'vitest';
import { PersistenceForecaster, RidgeForecaster } from '../../src/forecast/index.js';
import { FunctionRunner, OnnxRunner, openRunner } from '../../src/serving/index.js';
import { expectCode, modelRunnerSuite } from '../../src/testing/index.js';

const WINDOW = 5;
const WEIGHTS = [0.1, 0.1, 0.2, 0.2, 0.4];

/** y = x·w + 1 on raw closes (min-max transform over [0, 1] is the identity). */
async function ridgeOnnx(window = WINDOW): Promise<Uint8Array> {
  const weights = Float64Array.from({ length: window }, (_, i) => WEIGHTS[i] ?? 0);
  const model = new RidgeForecaster(
    { window },
    { transform: { kind: 'close_minmax', min: 0, max: 1 }, weights, bias: 1 },
  );
  return model.exportOnnx();
}
const ridge = (w: Float64Array) => w.reduce((sum, c, i) => sum + c * (WEIGHTS[i] ?? 0), 1);
const signature = { inputName: 'closes', outputName: 'next_close', window: WINDOW };

modelRunnerSuite('OnnxRunner (persistence graph)', async () => ({
  runner: await OnnxRunner.open(
    await new PersistenceForecaster({ window: WINDOW }).exportOnnx(),
    signature,
  ),
  expected: (w) => w[w.length - 1] ?? NaN,
}));

modelRunnerSuite('OnnxRunner (linear graph)', async () => ({
  runner: await OnnxRunner.open(await ridgeOnnx(), signature),
  expected: ridge,
}));

modelRunnerSuite('FunctionRunner', async () => ({
  runner: new FunctionRunner(WINDOW, async (windows) => Float64Array.from(windows, ridge)),
  expected: ridge,
}));

describe('OnnxRunner.open checks the graph against the declared signature', () => {
  it('refuses a window that differs from the graph', async () => {
    const err = await expectCode(
      OnnxRunner.open(await ridgeOnnx(), { ...signature, window: 6 }),
      'MODEL_SIGNATURE_MISMATCH',
    );
    expect(err.message).toMatch(/input 'closes' has shape \[N, 5\], expected \[batch, 6\]/);
  });

  it('refuses an input name the graph does not have', async () => {
    const err = await expectCode(
      OnnxRunner.open(await ridgeOnnx(), { ...signature, inputName: 'prices' }),
      'MODEL_SIGNATURE_MISMATCH',
    );
    expect(err.message).toMatch(/declares one input 'prices', the graph has inputs \[closes\]/);
  });

  it('refuses an output name the graph does not have', async () => {
    const err = await expectCode(
      OnnxRunner.open(await ridgeOnnx(), { ...signature, outputName: 'y' }),
      'MODEL_SIGNATURE_MISMATCH',
    );
    expect(err.message).toMatch(/declares output 'y', the graph has outputs \[next_close\]/);
  });

  it('refuses bytes that are not an ONNX model', async () => {
    const err = await expectCode(
      OnnxRunner.open(new TextEncoder().encode('not a model'), signature),
      'INVALID_PARAMETER_VALUE',
    );
    expect(err.message).toMatch(/cannot be loaded/);
  });
});

describe('openRunner', () => {
  const base = { name: 'm', version: '1', packageHash: 'h', ...signature };

  it('prefers the ONNX flavor over the fallback', async () => {
    const runner = await openRunner({
      ...base,
      onnx: await ridgeOnnx(),
      fallback: async () => Float64Array.of(-1),
    });
    expect(runner.engine).toBe('onnx');
    await runner.dispose();
  });

  it('uses the fallback without an ONNX flavor', async () => {
    const runner = await openRunner({
      ...base,
      fallback: async (w) => Float64Array.from(w, ridge),
    });
    expect(runner.engine).toBe('function');
    expect(Array.from(await runner.predict(Float32Array.of(1, 2, 3, 4, 5), 1))).toEqual([
      ridge(Float64Array.of(1, 2, 3, 4, 5)),
    ]);
  });

  it('refuses a model with nothing to run', async () => {
    const err = await expectCode(openRunner(base), 'INVALID_PARAMETER_VALUE');
    expect(err.message).toMatch(/neither an ONNX flavor nor a fallback/);
  });
});
