import { invalidParam } from '../../core/index.js';
import type { WindowTransform } from '../models/window-transform.js';
import type { ProtocolSplit } from './split.js';

export type TransformKind = WindowTransform['kind'];
export const TRANSFORM_KINDS: readonly TransformKind[] = ['log_return', 'close_minmax'];

/**
 * The rows a transform is fitted on: rows < split.validationStart, i.e. the closes of the training
 * windows and their targets. Stricter than the protocol's "rows before testStart": the validation
 * rows stay out too, so early stopping scores on data the scaler has not seen, as the test does.
 */
export function transformFitEnd(split: ProtocolSplit): number {
  return split.validationStart;
}

/**
 * Fits a WindowTransform on training rows only (see `transformFitEnd`); it never reads a close at
 * or after split.validationStart, so nothing from the test rows can reach a fitted value.
 * - log_return: mean and population std of ln(c[t] / c[t-1]) for 1 <= t < validationStart, used
 *   for both the input sequence and the target (they are the same series).
 * - close_minmax: min and max of c[t] for t < validationStart.
 */
export function fitWindowTransform(
  closes: ArrayLike<number>,
  split: ProtocolSplit,
  kind: TransformKind,
): WindowTransform {
  const end = Math.min(transformFitEnd(split), closes.length);
  if (end < 3) {
    throw invalidParam(
      `Too few training rows to fit the '${kind}' transform: ${end} (need at least 3). Use a longer series or a smaller window.`,
    );
  }
  for (let t = 0; t < end; t++) {
    const c = closes[t] ?? Number.NaN;
    if (!Number.isFinite(c) || c <= 0) {
      throw invalidParam(`Close at row ${t} is ${c}; closes must be finite and > 0.`);
    }
  }
  return kind === 'log_return' ? fitLogReturn(closes, end) : fitMinMax(closes, end);
}

function fitLogReturn(closes: ArrayLike<number>, end: number): WindowTransform {
  let sum = 0;
  for (let t = 1; t < end; t++) sum += Math.log(closes[t]! / closes[t - 1]!);
  const mean = sum / (end - 1);
  let sq = 0;
  for (let t = 1; t < end; t++) sq += (Math.log(closes[t]! / closes[t - 1]!) - mean) ** 2;
  // A constant series has std 0; 1 keeps the formulas finite (the inputs are then all 0).
  const std = Math.sqrt(sq / (end - 1)) || 1;
  return { kind: 'log_return', inMean: mean, inStd: std, outMean: mean, outStd: std };
}

function fitMinMax(closes: ArrayLike<number>, end: number): WindowTransform {
  let min = Infinity;
  let max = -Infinity;
  for (let t = 0; t < end; t++) {
    min = Math.min(min, closes[t]!);
    max = Math.max(max, closes[t]!);
  }
  // A constant series would divide by zero; a unit span keeps it finite.
  return { kind: 'close_minmax', min, max: max > min ? max : min + 1 };
}
