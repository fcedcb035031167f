import { describe, expect, it } from 'vitest';
import {
  sequenceLength,
  transformWindow,
  untransformOutput,
  type WindowTransform,
} from '../models/window-transform.js';
import { gaussian, maxRelativeError, ParityFixture } from './parity-fixtures.js';
import { exportRidgeOnnx, type RidgeOnnxSpec } from './ridge.js';
import { runOnnx } from './run-onnx.js';

const WINDOW = 12;
const fixture = new ParityFixture(2);

/** Random weights that keep predictions plausible prices (so relative errors mean something). */
function randomSpec(transform: WindowTransform): RidgeOnnxSpec {
  const n = sequenceLength(transform, WINDOW);
  const raw = Float64Array.from({ length: n }, () =>
    transform.kind === 'log_return' ? 0.3 * gaussian(fixture.random) : fixture.random(),
  );
  const sum = raw.reduce((s, w) => s + w, 0);
  // close_minmax: a convex combination of the scaled closes; log_return: any weights.
  const weights = transform.kind === 'close_minmax' ? raw.map((w) => w / sum) : raw;
  return { windowSize: WINDOW, transform, weights, bias: 0.01 * gaussian(fixture.random) };
}

/** The ridge prediction in float64, with the same formulas the forecaster uses. */
function reference(spec: RidgeOnnxSpec, window: Float64Array): number {
  const x = transformWindow(spec.transform, window);
  const y = x.reduce((s, xi, i) => s + xi * (spec.weights[i] ?? 0), spec.bias);
  return untransformOutput(spec.transform, window, y);
}

describe.each(fixture.transforms())('exportRidgeOnnx ($kind)', (transform) => {
  const spec = randomSpec(transform);
  const bytes = exportRidgeOnnx(spec);

  it.each([1, 50, 256])('matches the float64 reference on %i windows', async (n) => {
    const windows = fixture.windows(n, WINDOW);
    const got = await runOnnx(bytes, windows);
    expect(got).toHaveLength(n);
    expect(
      maxRelativeError(
        got,
        windows.map((w) => reference(spec, w)),
      ),
    ).toBeLessThan(1e-5);
    // On the float32 inputs it receives, the float64 graph is exact up to the float32 output.
    const rounded = windows.map((w) => w.map(Math.fround));
    expect(
      maxRelativeError(
        got,
        rounded.map((w) => reference(spec, w)),
      ),
    ).toBeLessThan(1e-7);
  });

  it('rejects weights of the wrong length', () => {
    const weights = new Float64Array(spec.weights.length + 1);
    expect(() => exportRidgeOnnx({ ...spec, weights })).toThrow(/weights/);
  });
});
