import { invalidParam } from '../core/index.js';
import type {
  BacktestForecastResult,
  TrainForecastResult,
  ValidationReport,
} from '../forecast/index.js';
import type { TrackingClient } from '../tracking/index.js';

/** Rows the quick preset keeps: the most recent 1,500 trading days. */
export const QUICK_PRESET_ROWS = 1500;

// The forecasting module (csv-parse, and tfjs / ONNX behind it) is loaded only when a forecast
// job runs, so that `mlops --help` and `mlops runs list` stay light.
const forecast = () => import('../forecast/index.js');

async function dataPath(csv: string | undefined): Promise<string> {
  return csv ?? (await forecast()).defaultDatasetPath();
}

/** `mlops forecast validate`: the contract's report for a CSV (default: the embedded data). */
export async function validateDataset(
  csv: string | undefined,
  options: { windowSize: number },
): Promise<{ report: ValidationReport; text: string }> {
  if (!Number.isInteger(options.windowSize) || options.windowSize < 2) {
    throw invalidParam(`--window must be an integer >= 2, got ${String(options.windowSize)}.`);
  }
  const f = await forecast();
  const csvFile = await f.loadPriceCsv(await dataPath(csv));
  const report = f.validateSeries(csvFile, { windowSize: options.windowSize });
  return { report, text: f.formatValidationReport(report) };
}

export interface ForecastJob {
  readonly data?: string;
  readonly model: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly preset?: string;
  readonly experiment?: string;
  readonly runName?: string;
  /** One line per epoch (LSTM), for a progress display. */
  readonly progress?: (line: string) => void;
}

/** `mlops forecast train`: one tracked training run. */
export async function forecastTrain(
  client: TrackingClient,
  job: ForecastJob,
): Promise<TrainForecastResult> {
  const f = await forecast();
  const model = f.parseModelKind(job.model);
  const preset = job.preset === undefined ? undefined : f.parsePreset(job.preset);
  return f.trainForecast(client, {
    data: await dataPath(job.data),
    model,
    ...(job.params ? { params: job.params } : {}),
    ...(preset ? { preset, lastRows: QUICK_PRESET_ROWS } : {}),
    ...(job.experiment ? { experiment: job.experiment } : {}),
    ...(job.runName ? { runName: job.runName } : {}),
    ...(job.progress ? { onEpoch: epochLine(model, job.progress) } : {}),
  });
}

/** `mlops forecast backtest`: walk-forward folds on one tracked run. */
export async function forecastBacktest(
  client: TrackingClient,
  job: ForecastJob & { folds: number },
): Promise<BacktestForecastResult> {
  const f = await forecast();
  const preset = job.preset === undefined ? undefined : f.parsePreset(job.preset);
  return f.backtestForecast(client, {
    data: await dataPath(job.data),
    model: f.parseModelKind(job.model),
    folds: job.folds,
    ...(job.params ? { params: job.params } : {}),
    ...(preset ? { preset, lastRows: QUICK_PRESET_ROWS } : {}),
    ...(job.experiment ? { experiment: job.experiment } : {}),
  });
}

function epochLine(model: string, write: (line: string) => void) {
  return (log: { epoch: number; loss: number; valLoss?: number }) =>
    write(
      `${model} epoch ${log.epoch + 1}: loss ${log.loss.toFixed(5)}` +
        (log.valLoss !== undefined ? ` val_loss ${log.valLoss.toFixed(5)}` : ''),
    );
}
