import { invalidParam } from '../../core/index.js';
import { partRange } from '../features/sliding-windows.js';
import type { ProtocolSplit } from '../features/split.js';

/** A model needs at least one training and one validation window; says how many rows it has. */
export function checkTrainable(split: ProtocolSplit, windowSize: number): void {
  const [trainFrom, trainTo] = partRange(split, 'train', windowSize);
  const [valFrom, valTo] = partRange(split, 'validation', windowSize);
  if (trainTo - trainFrom < 1 || valTo - valFrom < 1) {
    throw invalidParam(
      `Too few rows for window ${windowSize}: ${split.rows} rows give ${Math.max(0, trainTo - trainFrom)} training and ${Math.max(0, valTo - valFrom)} validation windows (need at least 1 of each). Use more rows or a smaller 'window'.`,
      { param: 'window', rows: split.rows },
    );
  }
}
