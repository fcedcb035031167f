import type { SequenceData } from './train-lstm.js';
import {
  sequenceLength,
  transformTarget,
  transformWindow,
  type WindowTransform,
} from './window-transform.js';

/**
 * Windows (and, when given, the closes that follow them) in the network's transformed space, as
 * float32 like the network. Targets default to NaN for prediction-only data.
 */
export function toSequenceData(
  transform: WindowTransform,
  windows: readonly ArrayLike<number>[],
  windowSize: number,
  targets?: ArrayLike<number>,
): SequenceData {
  const length = sequenceLength(transform, windowSize);
  const x = new Float32Array(windows.length * length);
  const y = new Float32Array(windows.length).fill(NaN);
  windows.forEach((w, k) => {
    x.set(transformWindow(transform, w), k * length);
    if (targets) y[k] = transformTarget(transform, w, targets[k] ?? NaN);
  });
  return { x, y, count: windows.length, sequenceLength: length };
}
