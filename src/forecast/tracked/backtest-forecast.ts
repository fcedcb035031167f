import { LineageRelations } from '../../lineage/index.js';
import type { TrackingClient } from '../../tracking/index.js';
import { walkForwardBacktest, type ForecastMetrics } from '../evaluation/index.js';
import { createForecaster, type ModelKind } from '../models/index.js';
import { datasetNode } from './dataset-node.js';
import { loadDataset } from './load-dataset.js';

export interface BacktestForecastOptions {
  readonly data: string;
  readonly model: ModelKind;
  readonly folds: number;
  readonly params?: Readonly<Record<string, string | number>>;
  readonly preset?: 'quick';
  readonly lastRows?: number;
  readonly experiment?: string;
}

export interface BacktestFold {
  readonly fold: number;
  readonly firstDate: string;
  readonly lastDate: string;
  readonly metrics: ForecastMetrics;
}

export interface BacktestForecastResult {
  readonly runId: string;
  readonly model: ModelKind;
  readonly folds: readonly BacktestFold[];
  readonly mean: ForecastMetrics;
}

/**
 * Walk-forward backtest on one tracked run: each fold's metrics are logged with the fold number
 * as the step (so a metric's history is its curve over folds), the means as `mean_<metric>`.
 */
export async function backtestForecast(
  client: TrackingClient,
  options: BacktestForecastOptions,
): Promise<BacktestForecastResult> {
  const make = () => createForecaster(options.model, options.params ?? {}, options.preset);
  const windowSize = make().windowSize;
  const dataset = await loadDataset(options.data, {
    windowSize,
    ...(options.lastRows !== undefined ? { lastRows: options.lastRows } : {}),
  });
  return client.withRun(
    {
      experiment: options.experiment ?? 'forecast-backtest',
      name: `${options.model}-backtest-${options.folds}`,
      tags: { model: options.model, kind: 'backtest', 'data.sha256': dataset.csv.sha256 },
    },
    async (run) => {
      await client.lineage.record([
        {
          src: datasetNode(options.data, dataset.csv.sha256),
          dst: { type: 'run', id: run.id },
          relation: LineageRelations.input,
        },
      ]);
      await run.logParams({ model: options.model, folds: options.folds, ...make().params });
      const result = await walkForwardBacktest(make, dataset.closes, {
        windowSize,
        folds: options.folds,
        onFold: (fold) => {
          for (const [key, value] of Object.entries(fold.metrics))
            run.logMetric(key, value, fold.fold);
        },
      });
      for (const [key, value] of Object.entries(result.mean)) run.logMetric(`mean_${key}`, value);
      return {
        runId: run.id,
        model: options.model,
        folds: result.folds.map((f) => ({
          fold: f.fold,
          firstDate: dataset.dates[f.testStart] ?? '',
          lastDate: dataset.dates[f.testEnd - 1] ?? '',
          metrics: f.metrics,
        })),
        mean: result.mean,
      };
    },
  );
}
