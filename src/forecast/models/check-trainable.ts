import { invalidParam } from '../../core/index.js';
import { partRange } from '../features/sliding-windows.js';
import type { ProtocolSplit } from '../features/split.js';

/**
 * Before training: at least one training and one validation window, and every close a model may
 * read (rows before testStart, never after) finite and > 0, so bad data fails here with its row
 * rather than later as a NaN loss.
 */
export function checkTrainable(
  closes: ArrayLike<number>,
  split: ProtocolSplit,
  windowSize: number,
): void {
  const [trainFrom, trainTo] = partRange(split, 'train', windowSize);
  const [valFrom, valTo] = partRange(split, 'validation', windowSize);
  if (trainTo - trainFrom < 1 || valTo - valFrom < 1) {
    throw invalidParam(
      `Too few rows for window ${windowSize}: ${split.rows} rows give ${Math.max(0, trainTo - trainFrom)} training and ${Math.max(0, valTo - valFrom)} validation windows (need at least 1 of each). Use more rows or a smaller 'window'.`,
      { param: 'window', rows: split.rows },
    );
  }
  const end = Math.min(split.testStart, closes.length);
  for (let t = 0; t < end; t++) {
    const c = closes[t] ?? Number.NaN;
    if (!Number.isFinite(c) || c <= 0) {
      throw invalidParam(`Close at row ${t} is ${c}; closes must be finite and > 0.`);
    }
  }
}
