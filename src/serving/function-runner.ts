import { MlopsError } from '../core/index.js';
import { checkBatch, checkWarmUp, warmUpWindow } from './check-batch.js';
import type { ModelRunner } from './model-runner.js';

/** What `LoadedModel.fallback` is: one next close per window of float64 closes. */
export type PredictFunction = (windows: readonly Float64Array[]) => Promise<Float64Array>;

/**
 * A runner over a plain function: the app hands the TensorFlow.js forecaster here when a package
 * has no ONNX flavor. Owns nothing native; `onDispose` lets the app release what it loaded.
 */
export class FunctionRunner implements ModelRunner {
  readonly engine = 'function';

  constructor(
    readonly window: number,
    private readonly fn: PredictFunction,
    private readonly onDispose: () => Promise<void> = async () => {},
  ) {}

  async predict(windows: Float32Array, n: number): Promise<Float64Array> {
    checkBatch(windows, n, this.window);
    if (n === 0) return new Float64Array(0);
    const rows = Array.from({ length: n }, (_, i) =>
      Float64Array.from(windows.subarray(i * this.window, (i + 1) * this.window)),
    );
    const out = await this.fn(rows);
    if (out.length !== n) {
      throw new MlopsError(
        'INTERNAL_ERROR',
        `The model's predict function returned ${out.length} values for ${n} windows.`,
      );
    }
    return Float64Array.from(out);
  }

  async warmUp(): Promise<void> {
    checkWarmUp(await this.predict(warmUpWindow(this.window), 1));
  }

  async dispose(): Promise<void> {
    await this.onDispose();
  }
}
