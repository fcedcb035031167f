/**
 * Fits one candidate on the visible rows and scores it on its validation targets. Everything
 * here takes the visible closes from `selectionSeries`; the split has rows = testStart, so the
 * test part is empty and no window can reach past the last visible row.
 */
import {
  createForecaster,
  forecastMetrics,
  LstmForecaster,
  partRange,
  splitWindows,
} from '../src/forecast/index.js';
import type { Candidate } from './candidates.js';
import { selectionSplit } from './selection-series.js';

export interface ValidationScore {
  readonly seed: number | undefined;
  /** Validation target rows [from, to). */
  readonly validationRows: readonly [number, number];
  readonly rmse: number;
  readonly persistenceRmse: number;
  /** 1 - rmse / persistenceRmse on the validation targets. */
  readonly skill: number;
  readonly changeStdRatio: number;
  readonly directionalAccuracy: number;
  /** LSTM only: epochs run (early stopping) and the epoch whose weights were kept. */
  readonly epochsTrained: number | undefined;
  readonly bestEpoch: number | undefined;
}

export interface ScoreOptions {
  readonly seed?: number;
  readonly onEpoch?: (epoch: number, loss: number, valLoss: number | undefined) => void;
}

export async function scoreCandidate(
  visible: Float64Array,
  candidate: Candidate,
  options: ScoreOptions = {},
): Promise<ValidationScore> {
  const { seed } = options;
  const window = candidate.params.window;
  const split = selectionSplit(visible.length, window);
  const [testFrom, testTo] = partRange(split, 'test', window);
  if (testTo > testFrom || split.rows !== visible.length) {
    throw new Error('selection split reaches past the visible rows'); // cannot happen; a guard
  }
  const params = seed === undefined ? candidate.params : { ...candidate.params, seed };
  const model = createForecaster(candidate.kind, params);
  try {
    await model.fit(
      { closes: visible, split },
      { onEpoch: (log) => options.onEpoch?.(log.epoch, log.loss, log.valLoss) },
    );
    const validation = splitWindows(visible, split, 'validation', window);
    const predicted = await model.predict(validation.windows);
    const previous = Float64Array.from(validation.windows, (w) => w[w.length - 1]!);
    const m = forecastMetrics({ actual: validation.targets, predicted, previous });
    const training = model instanceof LstmForecaster ? model.state?.training : undefined;
    return {
      seed,
      validationRows: partRange(split, 'validation', window),
      rmse: m.rmse,
      persistenceRmse: m.persistence_rmse,
      skill: m.skill,
      changeStdRatio: m.change_std_ratio,
      directionalAccuracy: m.directional_accuracy,
      epochsTrained: training?.history.length,
      bestEpoch: training?.bestEpoch,
    };
  } finally {
    if (model instanceof LstmForecaster) model.dispose();
  }
}
