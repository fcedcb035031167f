import { invalidParam } from '../../core/index.js';
import { TRAIN_FRACTION, VALIDATION_FRACTION, type ProtocolSplit } from '../features/split.js';

export interface WalkForwardOptions {
  readonly windowSize: number;
  /** Number of folds k. */
  readonly folds: number;
  /** Targets per fold; default: the protocol's test period (last 20% of rows) split into k blocks. */
  readonly testSize?: number;
}

/** One rolling-origin fold; row indexes into the full series. */
export interface WalkForwardFold {
  /** 0-based; fold k-1 ends at the last row. */
  readonly fold: number;
  /** Test targets are rows testStart .. testEnd-1. */
  readonly testStart: number;
  readonly testEnd: number;
  /**
   * What `fit` gets, over closes[0 .. testStart-1] only: rows = testStart = split.testStart, so
   * the fit input holds no test row at all; validationStart marks the early-stopping tail.
   */
  readonly split: ProtocolSplit;
}

/**
 * Rolling origin over the end of the series: k consecutive test blocks of `testSize` targets end
 * at the last row; each fold trains on every row before its block, with the last 10% of its
 * training windows as validation (the protocol's arithmetic, protocolSplit in features/split.ts).
 */
export function walkForwardFolds(rows: number, options: WalkForwardOptions): WalkForwardFold[] {
  const { windowSize, folds } = options;
  if (!Number.isInteger(windowSize) || windowSize < 1) {
    throw invalidParam(`walk-forward: windowSize ${windowSize} must be a positive integer.`);
  }
  if (!Number.isInteger(folds) || folds < 1) {
    throw invalidParam(`walk-forward: folds ${folds} must be a positive integer.`);
  }
  const testSize =
    options.testSize ?? Math.floor((rows - Math.floor(TRAIN_FRACTION * rows)) / folds);
  if (!Number.isInteger(testSize) || testSize < 1) {
    throw invalidParam(
      `walk-forward: testSize ${testSize} must be a positive integer (${rows} rows, ${folds} folds); use fewer folds or pass testSize.`,
    );
  }
  const out: WalkForwardFold[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const testStart = rows - (folds - fold) * testSize;
    const validationStart = testStart - Math.floor(VALIDATION_FRACTION * (testStart - windowSize));
    const trainWindows = validationStart - windowSize;
    // Models need at least one training and one validation (early-stopping) window.
    if (trainWindows < 1 || testStart - validationStart < 1) {
      throw invalidParam(
        `walk-forward: fold ${fold} would train on ${Math.max(0, trainWindows)} windows and validate on ${Math.max(0, testStart - validationStart)} (${rows} rows, windowSize ${windowSize}, ${folds} folds of ${testSize}); use fewer or smaller folds or more rows.`,
      );
    }
    out.push({
      fold,
      testStart,
      testEnd: testStart + testSize,
      split: { rows: testStart, windowSize, testStart, validationStart },
    });
  }
  return out;
}
