import { invalidParam, MlopsError } from '../../core/index.js';
import type {
  ModelPackageFields,
  ModelSignature,
  PackageRowRange,
  ReferenceSample,
} from '../../registry/index.js';
import type { Run } from '../../tracking/index.js';
import { findTrainingData } from './training-data.js';
import type { BlobStore } from '../../blobs/index.js';

/** At most this many reference feature rows: the most recent training windows. */
export const REFERENCE_MAX_ROWS = 5000;

/** What a forecaster's run says about its data; from tags, params and summary.json. */
export interface TrainingRecord {
  readonly source: string;
  readonly sha256: string;
  /** Rows the model saw: the most recent `rows` of the file (the quick preset keeps fewer). */
  readonly rows?: number;
  /** `first..last` dates of the training targets as recorded, to cross-check the split. */
  readonly trainDates?: string;
}

export interface ForecasterPackageInput {
  readonly blobs: BlobStore;
  readonly run: Run;
  readonly record: TrainingRecord;
  readonly kind: 'persistence' | 'linear' | 'lstm';
  readonly windowSize: number;
  readonly signature: ModelSignature;
  readonly onnx: Uint8Array;
  readonly cwd?: string;
  /** Dataset manifests already known for this run (from its earlier packages). */
  readonly knownData?: readonly string[];
}

export interface ForecasterPackageParts {
  readonly fields: Pick<ModelPackageFields, 'input_example' | 'metrics' | 'dataset' | 'row_ranges'>;
  readonly reference: ReferenceSample;
}

/**
 * The data-derived parts of a forecaster's package: the dataset version (found by its sha256,
 * even after the file moved on), the split recomputed exactly as training made it (and checked
 * against the run's recorded dates), the input example (the last window before the test rows),
 * the reference sample (monitored features of the training windows, the most recent
 * `REFERENCE_MAX_ROWS`, since live data is compared with the recent regime) and the holdout
 * (the ONNX graph's predictions on the test rows, which also give the registered metrics).
 */
export async function forecasterPackageParts(
  input: ForecasterPackageInput,
): Promise<ForecasterPackageParts> {
  const { record, windowSize } = input;
  const f = await import('../../forecast/index.js');
  const data = await findTrainingData(
    input.blobs,
    record.source,
    record.sha256,
    input.cwd,
    input.knownData,
  );
  try {
    const csv = await f.loadPriceCsv(data.path);
    const total = csv.bars.length;
    const rows = record.rows ?? total;
    if (!Number.isInteger(rows) || rows < 1 || rows > total) {
      throw invalidParam(
        `Run ${input.run.info.runId} says it used ${rows} rows of ${record.source}, which has ${total}.`,
      );
    }
    const offset = total - rows;
    const bars = csv.bars.slice(offset);
    const closes = Float64Array.from(bars, (b) => b.close);
    const dates = bars.map((b) => b.date);
    const split = f.protocolSplit(rows, windowSize);
    const ranges = f.splitRanges(split, dates, windowSize);
    const recomputed = `${ranges.train.firstDate}..${ranges.train.lastDate}`;
    if (record.trainDates !== undefined && !record.trainDates.startsWith(recomputed)) {
      throw new MlopsError(
        'INVALID_STATE',
        `Run ${input.run.info.runId} recorded training targets ${record.trainDates}, but splitting ${rows} rows of ${record.source}@${record.sha256.slice(0, 12)} gives ${recomputed}; the run's records and its data disagree, so the package's row ranges would be wrong.`,
      );
    }
    const range = (r: (typeof ranges)['train']): PackageRowRange => ({
      start: r.firstRow + offset,
      end: r.lastRow + 1 + offset,
      first_date: r.firstDate,
      last_date: r.lastDate,
    });
    const train = f.partRange(split, 'train', windowSize);
    const features = f.monitoredFeatures(closes, windowSize, train[0], train[1]);
    const test = f.splitWindows(closes, split, 'test', windowSize);
    const { runOnnx } = await f.loadForecastOnnx();
    const predicted = await runOnnx(input.onnx, test.windows);
    const previous = Float64Array.from(test.windows, (w) => w[w.length - 1] ?? Number.NaN);
    const metrics = f.forecastMetrics({ actual: test.targets, predicted, previous });
    const example = closes.slice(Math.max(0, split.testStart - windowSize), split.testStart);
    return {
      fields: {
        input_example: { prices: [...example] },
        metrics: Object.fromEntries(
          Object.entries(metrics).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)),
        ),
        dataset: {
          sha256: record.sha256,
          source: record.source,
          rows: total,
          manifest_id: data.manifestId,
        },
        row_ranges: {
          train: range(ranges.train),
          validation: range(ranges.validation),
          test: range(ranges.test),
        },
      },
      reference: {
        features: {
          columns: [...f.MONITORED_FEATURE_COLUMNS],
          rows: features.slice(-REFERENCE_MAX_ROWS),
        },
        holdout: {
          dates: dates.slice(test.firstTarget, test.firstTarget + test.targets.length),
          actual: [...test.targets],
          predicted: [...predicted],
        },
      },
    };
  } finally {
    await data.release();
  }
}
