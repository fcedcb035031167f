import { resolve } from 'node:path';
import { invalidParam } from '../../core/index.js';
import type { TrackingClient } from '../../tracking/index.js';
import { openInferenceLog, openRegistry } from '../connect.js';
import type { ModelVersion } from '../../registry/index.js';
import {
  loadVersionPackage,
  parseModelUri,
  resolveModelUri,
  type LoadedRegisteredModel,
} from '../models/index.js';
import type { ModelsContext } from '../models/models-context.js';
import { inferenceWindow, type InferenceWindow } from './inference-window.js';
import type {
  ColumnDrift,
  Condition,
  ContractViolation,
  DriftOptions,
  MonitorDataset,
  MonitorReport,
  ReportSource,
  ScoredPrediction,
} from './monitoring-parts.js';
import { priceLevelNotes } from './monitor-notes.js';
import {
  fileReference,
  packageReference,
  registeredOf,
  type MonitorReference,
} from './reference-source.js';
import { DEFAULT_FEATURE_WINDOW, readTableFile } from './table-file.js';

/** The monitoring module, loaded when a report is computed (not at the CLI's start-up). */
export const monitoring = () => import('./monitoring-parts.js');

/** `--current inference-log`: the model's served window instead of a file. */
export const INFERENCE_LOG = 'inference-log';
/** The column of a data file that holds predictions (compared with the holdout, not as data). */
const PREDICTION_COLUMN = 'prediction';

export interface MonitorReportOptions {
  /** A data file, or `models:/name@alias|/N` (the package's reference sample). Default (with
   * the inference log): the version that served the window. */
  readonly reference?: string;
  /** A data file, or `inference-log`. */
  readonly current: string;
  /** The served model (`models:/...`): whose log, window size and registered scores. */
  readonly model?: string;
  /** Inference log window: the newest `last` predictions and/or those since `since` (epoch ms). */
  readonly last?: number;
  readonly since?: number;
  /** Closes per window for price files when no model names one (default 60). */
  readonly window?: number;
  readonly drift?: DriftOptions;
  /** Rows per performance window (default: the performance module's choice). */
  readonly performanceWindowRows?: number;
  readonly checks?: readonly Condition[];
  /** Where to write the report (relative to `cwd`). */
  readonly html?: string;
  readonly json?: string;
  readonly title?: string;
  /** Relative paths resolve against this (default process.cwd()). */
  readonly cwd?: string;
}

export interface MonitorReportResult {
  readonly report: MonitorReport;
  /** Absolute paths of the files written. */
  readonly files: { readonly html?: string; readonly json?: string };
  /** The served versions of an inference-log window, oldest first. */
  readonly servedVersions: readonly string[];
}

/**
 * `mlops monitor report`: data drift of the monitored columns, prediction drift against the
 * package's holdout predictions, data quality (with the forecasting data contract on the
 * current window), live performance once feedback exists, plain notes, and the checks. The
 * forecasting knowledge (features, contract, persistence baseline) is plugged in here; the
 * monitoring module only compares tables.
 */
export async function monitorReport(
  client: TrackingClient,
  options: MonitorReportOptions,
): Promise<MonitorReportResult> {
  const cwd = options.cwd ?? process.cwd();
  const registry = await openRegistry(client);
  try {
    const base: ModelsContext = { client, registry, cwd };
    // The served model and its reference are usually the same version: read its package once
    // (a load reads every file and checks the ONNX graph against the signature).
    const packages = new Map<string, Promise<LoadedRegisteredModel>>();
    const ctx: ReportContext = {
      ...base,
      loadPackage: async (uri) => {
        const version: ModelVersion = await resolveModelUri(registry, uri);
        const key = `${version.name}/${version.version}`;
        let loaded = packages.get(key);
        if (loaded === undefined) {
          loaded = loadVersionPackage(base, version);
          packages.set(key, loaded);
        }
        return loaded;
      },
    };
    const current = await currentSide(ctx, options);
    const reference = await referenceSide(ctx, options, current);
    const report = await assemble(reference, withEmptyColumnsTyped(current, reference), options);
    const files =
      options.html === undefined && options.json === undefined
        ? {}
        : await (
            await monitoring()
          ).writeReportFiles({
            report,
            ...(options.html === undefined ? {} : { html: resolve(cwd, options.html) }),
            ...(options.json === undefined ? {} : { json: resolve(cwd, options.json) }),
          });
    return { report, files, servedVersions: current.window?.versions ?? [] };
  } finally {
    await registry.close();
  }
}

/** The models context of one report, with its package loads shared. */
interface ReportContext extends ModelsContext {
  loadPackage(uri: string): Promise<LoadedRegisteredModel>;
}

interface CurrentSide {
  readonly dataset: MonitorDataset;
  readonly source: ReportSource;
  readonly predictions?: Float64Array;
  readonly scored?: readonly ScoredPrediction[];
  readonly contract: readonly ContractViolation[];
  readonly window?: InferenceWindow;
  /** The model named by --model (or a models:/ reference), resolved. */
  readonly model?: ServedModel;
  readonly notes: readonly string[];
}

async function currentSide(ctx: ReportContext, o: MonitorReportOptions): Promise<CurrentSide> {
  const modelUri = o.model ?? (o.reference?.startsWith('models:/') ? o.reference : undefined);
  const model = modelUri === undefined ? undefined : await servedModel(ctx, modelUri);
  if (o.current !== INFERENCE_LOG) {
    const window = model?.window ?? checkedWindow(o.window);
    const table = await readTableFile(resolve(ctx.cwd ?? '.', o.current), window);
    const { dataset, predictions } = splitPredictions(table.dataset);
    return {
      dataset,
      source: table.source,
      ...(predictions ? { predictions } : {}),
      contract: table.contract,
      ...(model ? { model } : {}),
      notes: [],
    };
  }
  if (modelUri === undefined || model === undefined) {
    throw invalidParam(
      `--current ${INFERENCE_LOG} needs the served model: pass --model models:/<name>@<alias> (or a models:/ --reference).`,
      { option: 'model' },
    );
  }
  if (o.last !== undefined && !(Number.isInteger(o.last) && o.last >= 0)) {
    throw invalidParam(`--last must be a non-negative integer, got ${o.last}.`, { option: 'last' });
  }
  const parsed = parseModelUri(modelUri);
  const store = await openInferenceLog(ctx.client);
  let window: InferenceWindow;
  try {
    window = await inferenceWindow(store, {
      modelName: model.name,
      ...('version' in parsed ? { modelVersion: parsed.version } : {}),
      ...(o.last === undefined ? {} : { last: o.last }),
      ...(o.since === undefined ? {} : { since: o.since }),
    });
  } finally {
    await store.close();
  }
  const notes: string[] = [];
  if (window.dataset.rows === 0) {
    notes.push(
      `The window holds no next-day predictions of ${model.name}: there is nothing to compare yet (serve the model and send /predict requests, or widen --last/--since).`,
    );
  } else if (window.feedback === 0) {
    notes.push(
      `No feedback yet: none of the ${window.dataset.rows} predictions has an actual close, so live performance is not computed (post actual closes to /feedback).`,
    );
  }
  if (window.versions.length > 1) {
    notes.push(
      `The window spans versions ${window.versions.join(', ')} of ${model.name}; it is compared with the reference of the latest, version ${window.versions.at(-1)}.`,
    );
  }
  return {
    dataset: window.dataset,
    source: window.source,
    predictions: window.predictions,
    scored: window.scored,
    contract: window.contract,
    window,
    model,
    notes,
  };
}

async function referenceSide(
  ctx: ReportContext,
  o: MonitorReportOptions,
  current: CurrentSide,
): Promise<MonitorReference> {
  let uri = o.reference;
  if (uri === undefined) {
    const served = current.window?.versions.at(-1);
    if (current.model === undefined) {
      throw invalidParam('--reference is needed: a data file or models:/<name>@<alias>.', {
        option: 'reference',
      });
    }
    uri = `models:/${current.model.name}/${served ?? current.model.version}`;
  }
  if (uri.startsWith('models:/')) {
    return packageReference(await ctx.loadPackage(uri), uri);
  }
  const window = current.model?.window ?? checkedWindow(o.window);
  const fromFile = await fileReference(resolve(ctx.cwd ?? '.', uri), window);
  const { dataset, predictions } = splitPredictions(fromFile.dataset);
  // A file reference has no registered scores: the served model's are the comparison.
  const registered = current.model?.registered;
  return {
    ...fromFile,
    dataset,
    ...(predictions ? { predictions } : {}),
    ...(registered ? { registered } : {}),
    ...(current.model
      ? { model: { name: current.model.name, version: current.model.version } }
      : {}),
  };
}

async function assemble(
  reference: MonitorReference,
  current: CurrentSide,
  o: MonitorReportOptions,
): Promise<MonitorReport> {
  const { buildMonitorReport, computeDataDrift, computeDataQuality } = await monitoring();
  const { computeRegressionPerformance, evaluateConditions } = await monitoring();
  const dataDrift = await computeDataDrift(reference.dataset, current.dataset, o.drift ?? {});
  const predictionDrift = await predictionDriftOf(reference, current, o.drift);
  const contract = current.contract;
  const dataQuality = computeDataQuality(reference.dataset, current.dataset, {
    ...(o.drift?.columns ? { columns: o.drift.columns } : {}),
    contract: () => contract,
  });
  const scored = current.scored?.filter((s) => Number.isFinite(s.actual)) ?? [];
  const performance =
    current.scored !== undefined && scored.length > 0
      ? computeRegressionPerformance(current.scored, {
          ...(o.performanceWindowRows === undefined
            ? {}
            : { window: { rows: o.performanceWindowRows } }),
          ...(reference.registered ? { registered: reference.registered } : {}),
        })
      : undefined;
  const notes = [...current.notes, ...priceLevelNotes(dataDrift)];
  const model = reference.model ?? current.model;
  const base = buildMonitorReport({
    title: o.title ?? `Monitoring report${model ? `: ${model.name} version ${model.version}` : ''}`,
    ...(model ? { model: { name: model.name, version: model.version } } : {}),
    reference: reference.source,
    current: current.source,
    dataDrift,
    ...(predictionDrift ? { predictionDrift } : {}),
    dataQuality,
    ...(performance ? { performance } : {}),
    notes,
  });
  const checks = o.checks && o.checks.length > 0 ? evaluateConditions(base.metrics, o.checks) : [];
  return checks.length > 0 ? { ...base, checks } : base;
}

/** Predictions now against the package's holdout predictions, with the numerical test options. */
async function predictionDriftOf(
  reference: MonitorReference,
  current: CurrentSide,
  drift: DriftOptions | undefined,
): Promise<ColumnDrift | undefined> {
  if (!reference.predictions || !current.predictions) return undefined;
  const side = (values: Float64Array): MonitorDataset => ({
    rows: values.length,
    columns: { [PREDICTION_COLUMN]: values },
  });
  const spec = drift?.perColumn?.[PREDICTION_COLUMN];
  const { computeDataDrift } = await monitoring();
  const result = await computeDataDrift(side(reference.predictions), side(current.predictions), {
    ...pick(drift, ['test', 'numericalTest', 'threshold', 'numericalThreshold'] as const),
    ...(spec ? { perColumn: { [PREDICTION_COLUMN]: spec } } : {}),
    workers: 0,
  });
  return result.columns[0];
}

function pick<T extends object, K extends keyof T>(
  value: T | undefined,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (value?.[k] !== undefined) out[k] = value[k];
  return out;
}

/**
 * A file with a header and no rows says nothing about its columns' types: each empty column
 * takes the reference's, so the report says "no rows" rather than a type mismatch.
 */
function withEmptyColumnsTyped(current: CurrentSide, reference: MonitorReference): CurrentSide {
  if (current.dataset.rows > 0) return current;
  const columns = { ...current.dataset.columns };
  for (const [name, values] of Object.entries(columns)) {
    const ref = reference.dataset.columns[name];
    if (ref === undefined || values.length > 0) continue;
    columns[name] = ref instanceof Float64Array ? new Float64Array(0) : [];
  }
  return { ...current, dataset: { rows: 0, columns } };
}

/** A data file's `prediction` column is compared with the holdout, not drift-tested as data. */
function splitPredictions(dataset: MonitorDataset): {
  dataset: MonitorDataset;
  predictions?: Float64Array;
} {
  const { [PREDICTION_COLUMN]: predictions, ...rest } = dataset.columns;
  if (!(predictions instanceof Float64Array)) return { dataset };
  return { dataset: { rows: dataset.rows, columns: rest }, predictions };
}

interface ServedModel {
  readonly name: string;
  readonly version: string;
  /** Closes per request (the signature's window). */
  readonly window: number;
  readonly registered?: MonitorReference['registered'];
}

/** The served model: its resolved version, window and registered scores. */
async function servedModel(ctx: ReportContext, uri: string): Promise<ServedModel> {
  const loaded = await ctx.loadPackage(uri);
  return {
    name: loaded.name,
    version: loaded.version,
    window: loaded.manifest.signature.window,
    ...registeredOf(loaded),
  };
}

function checkedWindow(window: number | undefined): number {
  const w = window ?? DEFAULT_FEATURE_WINDOW;
  if (!Number.isInteger(w) || w < 2) {
    throw invalidParam(`--window must be an integer >= 2 (closes per feature window), got ${w}.`, {
      option: 'window',
    });
  }
  return w;
}
