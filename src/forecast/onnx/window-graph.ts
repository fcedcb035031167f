import type { WindowTransform } from '../models/window-transform.js';
import type { GraphBuilder } from './graph-builder.js';

/** The transformed window and the way back to price units, as graph values. */
export interface WindowGraph {
  /** The core's input, float64 [N, sequenceLength(transform, windowSize)]. */
  readonly x: string;
  /** Adds the nodes that turn the core's output y (float64 [N, 1]) into the next close. */
  untransform(y: string): string;
}

/**
 * The graph form of `transformWindow` / `untransformOutput` (models/window-transform.ts), op for op
 * in the same order, on float64 closes [N, windowSize].
 */
export function addWindowTransform(
  b: GraphBuilder,
  closes: string,
  transform: WindowTransform,
  windowSize: number,
): WindowGraph {
  const cols = (start: number, end: number) =>
    b.op('Slice', [closes, b.int64([start]), b.int64([end]), b.int64([1])]);
  if (transform.kind === 'close_minmax') {
    const min = b.double([transform.min], [1]);
    const span = b.double([transform.max - transform.min], [1]);
    return {
      x: b.op('Div', [b.op('Sub', [closes, min]), span]),
      untransform: (y) => b.op('Add', [min, b.op('Mul', [span, y])]),
    };
  }
  // ln(c[i+1] / c[i]): the ratio first, as in transformWindow (ln a - ln b loses digits).
  const ratio = b.op('Div', [cols(1, windowSize), cols(0, windowSize - 1)]);
  const centred = b.op('Sub', [b.op('Log', [ratio]), b.double([transform.inMean], [1])]);
  const last = cols(windowSize - 1, windowSize);
  return {
    x: b.op('Div', [centred, b.double([transform.inStd], [1])]),
    untransform: (y) => {
      const scaled = b.op('Mul', [b.double([transform.outStd], [1]), y]);
      const logReturn = b.op('Add', [b.double([transform.outMean], [1]), scaled]);
      return b.op('Mul', [last, b.op('Exp', [logReturn])]);
    },
  };
}
