/**
 * The evaluation protocol's chronological split (DESIGN.md §7), as row indexes into the series:
 * test = rows from floor(0.8 x rows) on; everything fitted sees only rows before `testStart`;
 * validation (early stopping) = the last 10% of the training windows.
 */
export interface ProtocolSplit {
  readonly rows: number;
  readonly windowSize: number;
  /** First row whose close is a test target. */
  readonly testStart: number;
  /** First row whose close is a validation target (inside the training rows). */
  readonly validationStart: number;
}

/** Share of rows before the test period (DESIGN.md §7). */
export const TRAIN_FRACTION = 0.8;
/** Share of training windows held out for early stopping. */
export const VALIDATION_FRACTION = 0.1;

/**
 * Target row t (predicted from closes t-windowSize .. t-1) is a training target for
 * windowSize <= t < validationStart, a validation target for validationStart <= t < testStart,
 * and a test target for testStart <= t < rows.
 */
export function protocolSplit(rows: number, windowSize: number): ProtocolSplit {
  const testStart = Math.floor(TRAIN_FRACTION * rows);
  const trainingWindows = testStart - windowSize;
  const validationStart = testStart - Math.floor(VALIDATION_FRACTION * trainingWindows);
  return { rows, windowSize, testStart, validationStart };
}

/** Number of training windows (targets before validationStart), 0 or less when too few rows. */
export function trainingWindowCount(split: ProtocolSplit): number {
  return split.validationStart - split.windowSize;
}
