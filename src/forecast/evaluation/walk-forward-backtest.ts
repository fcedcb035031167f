import { MlopsError, invalidParam } from '../../core/index.js';
import type { Forecaster } from '../models/forecaster.js';
import { forecastMetrics, type ForecastMetrics } from './forecast-metrics.js';
import {
  walkForwardFolds,
  type WalkForwardFold,
  type WalkForwardOptions,
} from './walk-forward-folds.js';

export interface WalkForwardFoldResult extends WalkForwardFold {
  readonly metrics: ForecastMetrics;
}

export interface WalkForwardResult {
  readonly folds: readonly WalkForwardFoldResult[];
  /** Arithmetic mean of each metric over the folds (a NaN in any fold gives NaN). */
  readonly mean: ForecastMetrics;
  /** The metrics of all folds' targets taken together (one DM test over every test row). */
  readonly pooled: ForecastMetrics;
}

export interface WalkForwardBacktestOptions extends WalkForwardOptions {
  /** Called after each fold, e.g. for progress lines. */
  readonly onFold?: (result: WalkForwardFoldResult) => void;
}

/**
 * Rolling-origin backtest through the `Forecaster` interface only: per fold a fresh model from
 * `createForecaster` is fitted on a copy of the closes before the fold's test block (so it cannot
 * reach its own test rows even by mistake), then predicts each test target one step ahead from
 * the true previous `windowSize` closes. Folds run one after another (models are CPU-heavy).
 */
export async function walkForwardBacktest(
  createForecaster: () => Forecaster,
  closes: Float64Array,
  options: WalkForwardBacktestOptions,
): Promise<WalkForwardResult> {
  const folds = walkForwardFolds(closes.length, options);
  const results: WalkForwardFoldResult[] = [];
  const all = { actual: [] as number[], predicted: [] as number[], previous: [] as number[] };
  for (const fold of folds) {
    const model = createForecaster();
    if (model.windowSize !== options.windowSize) {
      throw invalidParam(
        `walk-forward: the forecaster's windowSize ${model.windowSize} differs from options.windowSize ${options.windowSize}.`,
      );
    }
    await model.fit({ closes: closes.slice(0, fold.testStart), split: fold.split });
    const windows: Float64Array[] = [];
    for (let t = fold.testStart; t < fold.testEnd; t++) {
      windows.push(closes.slice(t - options.windowSize, t));
    }
    const predicted = await model.predict(windows);
    if (predicted.length !== windows.length) {
      throw new MlopsError(
        'INTERNAL_ERROR',
        `walk-forward: ${model.kind} returned ${predicted.length} predictions for ${windows.length} windows.`,
      );
    }
    const actual = closes.slice(fold.testStart, fold.testEnd);
    const previous = closes.slice(fold.testStart - 1, fold.testEnd - 1);
    const result = { ...fold, metrics: forecastMetrics({ actual, predicted, previous }) };
    results.push(result);
    options.onFold?.(result);
    all.actual.push(...actual);
    all.predicted.push(...predicted);
    all.previous.push(...previous);
  }
  return {
    folds: results,
    mean: meanMetrics(results.map((r) => r.metrics)),
    pooled: forecastMetrics({
      actual: Float64Array.from(all.actual),
      predicted: Float64Array.from(all.predicted),
      previous: Float64Array.from(all.previous),
    }),
  };
}

function meanMetrics(list: readonly ForecastMetrics[]): ForecastMetrics {
  const first = list[0];
  if (!first) throw invalidParam('walk-forward: no folds to average.');
  const out: Record<string, number> = {};
  for (const key of Object.keys(first) as (keyof ForecastMetrics)[]) {
    out[key] = list.reduce((sum, m) => sum + m[key], 0) / list.length;
  }
  return out as unknown as ForecastMetrics;
}
