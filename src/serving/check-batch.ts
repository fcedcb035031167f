import { invalidParam, MlopsError } from '../core/index.js';

/** The `predict(windows, n)` precondition every runner shares: `n` whole windows, nothing more. */
export function checkBatch(windows: Float32Array, n: number, window: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw invalidParam(`n must be a whole number of windows >= 0, got ${n}.`);
  }
  if (windows.length !== n * window) {
    throw invalidParam(
      `Expected ${n} windows of ${window} closes (${n * window} values), got ${windows.length} values.`,
    );
  }
}

/** A window of plausible closes for warm-up runs (a gentle ramp, never zero). */
export function warmUpWindow(window: number): Float32Array {
  return Float32Array.from({ length: window }, (_, i) => 100 + i / window);
}

/** Warm-up's own check: a model that answers a plausible window with NaN is broken, not cold. */
export function checkWarmUp(values: Float64Array): void {
  const value = values[0];
  if (values.length !== 1 || value === undefined || !Number.isFinite(value)) {
    throw new MlopsError(
      'INVALID_PARAMETER_VALUE',
      `The model answered its warm-up window with ${values.length === 1 ? String(value) : `${values.length} values`}, expected one finite close.`,
    );
  }
}
