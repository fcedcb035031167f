import type { ProtocolSplit } from './split.js';

/** Windows of closes and the close that follows each, for a range of target rows. */
export interface WindowSet {
  /** Row index of the first target (windows[k] predicts row firstTarget + k). */
  readonly firstTarget: number;
  /** windows[k] = closes[t - windowSize .. t - 1] for target row t = firstTarget + k. */
  readonly windows: readonly Float64Array[];
  /** targets[k] = closes[t]. */
  readonly targets: Float64Array;
}

export type SplitPart = 'train' | 'validation' | 'test';

/**
 * Target rows [from, to) of one part of the protocol split for a model with `windowSize` (which
 * may exceed the split's own window: the first target still needs a whole window behind it).
 */
export function partRange(
  split: ProtocolSplit,
  part: SplitPart,
  windowSize = split.windowSize,
): readonly [number, number] {
  const first = Math.max(split.windowSize, windowSize);
  if (part === 'train') return [first, split.validationStart];
  if (part === 'validation') return [Math.max(first, split.validationStart), split.testStart];
  return [Math.max(first, split.testStart), split.rows];
}

/**
 * Sliding windows for target rows fromRow <= t < toRow. Windows are copies (subarray views would
 * keep the whole series alive and let a caller's edit leak into it).
 */
export function slidingWindows(
  closes: ArrayLike<number>,
  windowSize: number,
  fromRow: number,
  toRow: number,
): WindowSet {
  const first = Math.max(fromRow, windowSize);
  const last = Math.min(toRow, closes.length);
  const windows: Float64Array[] = [];
  const targets = new Float64Array(Math.max(0, last - first));
  for (let t = first; t < last; t++) {
    const w = new Float64Array(windowSize);
    for (let i = 0; i < windowSize; i++) w[i] = closes[t - windowSize + i] ?? Number.NaN;
    windows.push(w);
    targets[t - first] = closes[t] ?? Number.NaN;
  }
  return { firstTarget: first, windows, targets };
}

/** The windows of one part of the protocol split. */
export function splitWindows(
  closes: ArrayLike<number>,
  split: ProtocolSplit,
  part: SplitPart,
  windowSize = split.windowSize,
): WindowSet {
  const [from, to] = partRange(split, part, windowSize);
  return slidingWindows(closes, windowSize, from, to);
}
