import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineageRelations } from '../../lineage/index.js';
import type { TrackingClient } from '../../tracking/index.js';
import { forecastMetrics, type ForecastMetrics } from '../evaluation/index.js';
import { protocolSplit, splitWindows } from '../features/index.js';
import {
  createForecaster,
  MANIFEST_FILE,
  type EpochLog,
  type ForecasterManifest,
  type ModelKind,
} from '../models/index.js';
import { datasetNode } from './dataset-node.js';
import { writeForecastReport } from './forecast-report.js';
import { loadDataset } from './load-dataset.js';
import { formatRange, splitRanges, type RowRange } from './split-ranges.js';

export interface TrainForecastOptions {
  /** Daily price CSV. */
  readonly data: string;
  readonly model: ModelKind;
  /** Model params as strings (`--param k=v`) or values. */
  readonly params?: Readonly<Record<string, string | number>>;
  readonly preset?: 'quick';
  /** Use only the most recent rows (the quick preset uses 1500). */
  readonly lastRows?: number;
  readonly experiment?: string;
  readonly runName?: string;
  readonly onEpoch?: (log: EpochLog) => void;
}

export interface TrainForecastResult {
  readonly runId: string;
  readonly model: ModelKind;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly metrics: ForecastMetrics;
  readonly ranges: Readonly<Record<'train' | 'validation' | 'test', RowRange>>;
  readonly datasetSha256: string;
  readonly backend?: string;
}

/**
 * Trains one forecaster on the protocol split (DESIGN.md §7) and records everything on a tracked
 * run: params, per-epoch losses, test metrics in price units, the exact row ranges, the dataset
 * version as a lineage edge, and artifacts (model, ONNX graph, validation report, plots, HTML).
 */
export async function trainForecast(
  client: TrackingClient,
  options: TrainForecastOptions,
): Promise<TrainForecastResult> {
  const forecaster = createForecaster(options.model, options.params ?? {}, options.preset);
  const dataset = await loadDataset(options.data, {
    windowSize: forecaster.windowSize,
    ...(options.lastRows !== undefined ? { lastRows: options.lastRows } : {}),
  });
  const { closes, dates } = dataset;
  const split = protocolSplit(closes.length, forecaster.windowSize);
  const ranges = splitRanges(split, dates, forecaster.windowSize);
  const scratch = await mkdtemp(join(tmpdir(), 'mlops-forecast-'));
  try {
    return await client.withRun(
      {
        experiment: options.experiment ?? 'forecast',
        name: options.runName ?? `${options.model}${options.preset ? `-${options.preset}` : ''}`,
        tags: {
          model: options.model,
          ...(options.preset ? { preset: options.preset } : {}),
          'data.source': options.data,
          'data.sha256': dataset.csv.sha256,
          'data.train_range': formatRange(ranges.train),
          'data.validation_range': formatRange(ranges.validation),
          'data.test_range': formatRange(ranges.test),
          'data.warnings': String(dataset.report.warnings.length),
        },
      },
      async (run) => {
        await client.lineage.record([
          {
            src: datasetNode(options.data, dataset.csv.sha256),
            dst: { type: 'run', id: run.id },
            relation: LineageRelations.input,
            attrs: { rows: closes.length },
          },
        ]);
        await run.logParams({ model: options.model, ...forecaster.params, rows: closes.length });
        const epochs: EpochLog[] = [];
        await forecaster.fit(
          { closes, split },
          {
            onEpoch: (log) => {
              epochs.push(log);
              run.logMetric('loss', log.loss, log.epoch);
              if (log.valLoss !== undefined) run.logMetric('val_loss', log.valLoss, log.epoch);
              options.onEpoch?.(log);
            },
          },
        );
        if (forecaster.backend) await run.setTag('backend', forecaster.backend);
        const test = splitWindows(closes, split, 'test', forecaster.windowSize);
        const predicted = await forecaster.predict(test.windows);
        const previous = Float64Array.from(test.windows, (w) => w[w.length - 1] ?? Number.NaN);
        const metrics = forecastMetrics({ actual: test.targets, predicted, previous });
        for (const [key, value] of Object.entries(metrics)) run.logMetric(key, value);

        const modelDir = join(scratch, 'model');
        await forecaster.save(modelDir);
        await writeFile(join(modelDir, 'model.onnx'), await forecaster.exportOnnx());
        // The fitted scaler on its own, for readers who want it without the model format.
        const manifest = JSON.parse(
          await readFile(join(modelDir, MANIFEST_FILE), 'utf8'),
        ) as ForecasterManifest;
        if (manifest.transform) {
          await writeFile(
            join(modelDir, 'scaler.json'),
            JSON.stringify(manifest.transform, null, 2) + '\n',
          );
        }
        await run.logArtifact(modelDir);
        const reportDir = join(scratch, 'report');
        await writeForecastReport(reportDir, {
          model: options.model,
          dates: dates.slice(test.firstTarget, test.firstTarget + test.targets.length),
          actual: test.targets,
          predicted,
          epochs,
          metrics,
          validation: dataset.report,
        });
        await run.logArtifacts(reportDir, 'report');
        return {
          runId: run.id,
          model: options.model,
          params: forecaster.params,
          metrics,
          ranges,
          datasetSha256: dataset.csv.sha256,
          ...(forecaster.backend ? { backend: forecaster.backend } : {}),
        };
      },
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
