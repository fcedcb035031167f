/**
 * How a raw window of closes (oldest first, `windowSize` long) becomes the model core's input,
 * and how the core's single output becomes the next close. Fitted on training rows only. The
 * forecasting code and the ONNX graphs implement exactly these formulas, so serving and training
 * agree (no train/serve skew).
 *
 * - `log_return`: input x_i = (ln(c[i+1] / c[i]) - inMean) / inStd for i = 0 .. windowSize-2
 *   (a sequence of windowSize-1 values); next close = c[windowSize-1] * exp(outMean + outStd * y).
 * - `close_minmax`: input x_i = (c[i] - min) / (max - min) for i = 0 .. windowSize-1;
 *   next close = min + (max - min) * y.
 */
export type WindowTransform =
  | {
      readonly kind: 'log_return';
      readonly inMean: number;
      readonly inStd: number;
      readonly outMean: number;
      readonly outStd: number;
    }
  | { readonly kind: 'close_minmax'; readonly min: number; readonly max: number };

/** Length of the input sequence the core sees for a window of `windowSize` closes. */
export function sequenceLength(transform: WindowTransform, windowSize: number): number {
  return transform.kind === 'log_return' ? windowSize - 1 : windowSize;
}

/** Core input for one window (see the formulas above). */
export function transformWindow(
  transform: WindowTransform,
  window: ArrayLike<number>,
): Float64Array {
  if (transform.kind === 'close_minmax') {
    const span = transform.max - transform.min;
    return Float64Array.from(window, (c) => (c - transform.min) / span);
  }
  const out = new Float64Array(window.length - 1);
  for (let i = 0; i + 1 < window.length; i++) {
    out[i] =
      (Math.log((window[i + 1] ?? 0) / (window[i] ?? 1)) - transform.inMean) / transform.inStd;
  }
  return out;
}

/** The next close in price units from the core's output `y` for `window`. */
export function untransformOutput(
  transform: WindowTransform,
  window: ArrayLike<number>,
  y: number,
): number {
  if (transform.kind === 'close_minmax') return transform.min + (transform.max - transform.min) * y;
  const last = window[window.length - 1] ?? Number.NaN;
  return last * Math.exp(transform.outMean + transform.outStd * y);
}

/** The core's training target for the close that follows `window`. */
export function transformTarget(
  transform: WindowTransform,
  window: ArrayLike<number>,
  next: number,
): number {
  if (transform.kind === 'close_minmax')
    return (next - transform.min) / (transform.max - transform.min);
  const last = window[window.length - 1] ?? Number.NaN;
  return (Math.log(next / last) - transform.outMean) / transform.outStd;
}
