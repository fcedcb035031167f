import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MlopsError } from '../core/index.js';
import type { ModelRunner } from '../serving/index.js';

/** What a `ModelRunner` implementation hands the suite: a fresh runner per test, and its truth. */
export interface ModelRunnerFixture {
  readonly runner: ModelRunner;
  /** What the model predicts for one window (float64 closes, oldest first). */
  expected(window: Float64Array): number;
  cleanup?(): Promise<void>;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (MlopsError.is(err)) return err.code;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** `n` windows of plausible closes, row-major, deterministic. */
function windowsOf(n: number, width: number, seed = 1): Float32Array {
  const out = new Float32Array(n * width);
  let x = seed;
  for (let i = 0; i < n; i++) {
    let close = 50 + 10 * i;
    for (let j = 0; j < width; j++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      close *= 1 + (x / 2147483648 - 0.5) * 0.02;
      out[i * width + j] = close;
    }
  }
  return out;
}

/**
 * The `ModelRunner` contract (src/serving/model-runner.ts), written only against the interface,
 * so that the ONNX Runtime runner and the function runner behave the same behind the server.
 */
export function modelRunnerSuite(name: string, factory: () => Promise<ModelRunnerFixture>): void {
  describe(`ModelRunner conformance: ${name}`, () => {
    let fixture: ModelRunnerFixture;
    let runner: ModelRunner;
    beforeEach(async () => {
      fixture = await factory();
      runner = fixture.runner;
    });
    afterEach(async () => {
      await runner.dispose();
      await fixture.cleanup?.();
    });

    const expectedFor = (windows: Float32Array, n: number) =>
      Array.from({ length: n }, (_, i) =>
        fixture.expected(
          Float64Array.from(windows.subarray(i * runner.window, (i + 1) * runner.window)),
        ),
      );
    const expectClose = (actual: Float64Array, expected: number[]) => {
      expect(actual).toBeInstanceOf(Float64Array);
      expect(actual.length).toBe(expected.length);
      actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, 3));
    };

    it('names its engine and window', () => {
      expect(runner.engine).toMatch(/\S/);
      expect(Number.isInteger(runner.window) && runner.window >= 1).toBe(true);
    });

    it('warms up, then predicts one value per window', async () => {
      await runner.warmUp();
      const windows = windowsOf(3, runner.window);
      expectClose(await runner.predict(windows, 3), expectedFor(windows, 3));
    });

    it('predicts a large batch in row order', async () => {
      const windows = windowsOf(257, runner.window, 7);
      expectClose(await runner.predict(windows, 257), expectedFor(windows, 257));
    });

    it('answers no windows with an empty result', async () => {
      expect(await runner.predict(new Float32Array(0), 0)).toEqual(new Float64Array(0));
    });

    it('refuses a batch that is not n whole windows', async () => {
      const w = runner.window;
      expect(await codeOf(runner.predict(new Float32Array(w + 1), 1))).toBe(
        'INVALID_PARAMETER_VALUE',
      );
      expect(await codeOf(runner.predict(new Float32Array(2 * w), 1))).toBe(
        'INVALID_PARAMETER_VALUE',
      );
      expect(await codeOf(runner.predict(new Float32Array(w), -1))).toBe('INVALID_PARAMETER_VALUE');
      expect(await codeOf(runner.predict(new Float32Array(w), 0.5))).toBe(
        'INVALID_PARAMETER_VALUE',
      );
    });

    it('serves concurrent calls, each with its own answer', async () => {
      const calls = Array.from({ length: 20 }, (_, i) => windowsOf(1 + (i % 3), runner.window, i));
      const results = await Promise.all(
        calls.map((w) => runner.predict(w, w.length / runner.window)),
      );
      results.forEach((r, i) => {
        const w = calls[i] as Float32Array;
        expectClose(r, expectedFor(w, w.length / runner.window));
      });
    });

    it('does not change the windows it is given', async () => {
      const windows = windowsOf(2, runner.window, 3);
      const copy = windows.slice();
      await runner.predict(windows, 2);
      expect(windows).toEqual(copy);
    });
  });
}
