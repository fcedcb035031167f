/**
 * Runs one model version: windows of closes in, one next close per window out.
 *
 * Contract (checked by `modelRunnerSuite` in src/testing):
 * - `predict(windows, n)`: `windows` is row-major `n x window` float32 closes, oldest first; the
 *   result has exactly `n` values. `n = 0` gives an empty result. A `windows` whose length is not
 *   `n * window` is an INVALID_PARAMETER_VALUE error. Safe to call concurrently.
 * - `warmUp()` runs one prediction so that the first real request does not pay for lazy
 *   initialisation; a model that cannot predict fails here, before it is swapped in.
 * - `dispose()` releases native resources; it is called once, after the last `predict` settled.
 */
export interface ModelRunner {
  /** Closes per window. */
  readonly window: number;
  /** Which engine runs the model ('onnx', 'function'), for /version and logs. */
  readonly engine: string;
  predict(windows: Float32Array, n: number): Promise<Float64Array>;
  warmUp(): Promise<void>;
  dispose(): Promise<void>;
}
