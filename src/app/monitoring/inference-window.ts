import type { InferenceLogStore, JoinedInference } from '../../serving/index.js';
import type {
  ContractViolation,
  MonitorDataset,
  ReportSource,
  ScoredPrediction,
} from './monitoring-parts.js';
import { badInputs, priceWindowContract } from './window-contract.js';

/** Which logged predictions a report covers: the newest `last`, or those since a time. */
export interface WindowSpec {
  readonly modelName: string;
  /** Only this version's predictions (a `models:/name/3` URI); default every version. */
  readonly modelVersion?: string;
  readonly last?: number;
  /** Epoch ms. */
  readonly since?: number;
}

/** A window of served traffic as monitoring data. */
export interface InferenceWindow {
  /** The monitored features of each request's window, one row per next-day prediction. */
  readonly dataset: MonitorDataset;
  readonly source: ReportSource;
  readonly predictions: Float64Array;
  /** Every prediction, scored where feedback gave its actual (NaN otherwise). */
  readonly scored: readonly ScoredPrediction[];
  /** Predictions with an actual. */
  readonly feedback: number;
  /** Versions that served the window, oldest first. */
  readonly versions: readonly string[];
  readonly contract: readonly ContractViolation[];
}

/**
 * The next-day predictions (horizon step 1) of `spec`'s window, oldest first. Features come from
 * each request's closes (`windowFeatures`); the persistence baseline of a prediction is the last
 * close it was given; the data contract runs on the window's closes as far as it applies.
 */
export async function inferenceWindow(
  store: InferenceLogStore,
  spec: WindowSpec,
): Promise<InferenceWindow> {
  const records = await queryWindow(store, spec);
  const { windowFeatures, MONITORED_FEATURE_COLUMNS } = await import('../../forecast/index.js');
  const columns = MONITORED_FEATURE_COLUMNS.map(() => new Float64Array(records.length));
  const predictions = new Float64Array(records.length);
  const scored: ScoredPrediction[] = [];
  const versions: string[] = [];
  let feedback = 0;
  records.forEach((r, i) => {
    // The server takes windows of >= 2 closes; anything shorter is a gap, not a crash.
    const features =
      r.inputs.length >= 2 ? windowFeatures(r.inputs) : MONITORED_FEATURE_COLUMNS.map(() => NaN);
    features.forEach((v, k) => ((columns[k] as Float64Array)[i] = v));
    predictions[i] = r.prediction;
    if (!versions.includes(r.modelVersion)) versions.push(r.modelVersion);
    const actual = r.actual ?? Number.NaN;
    if (Number.isFinite(actual)) feedback++;
    const baseline = r.inputs[r.inputs.length - 1];
    scored.push({
      timestamp: r.timestamp,
      ...(r.targetDate === undefined ? {} : { label: r.targetDate }),
      predicted: r.prediction,
      actual,
      ...(baseline === undefined ? {} : { baseline }),
    });
  });
  const first = records[0];
  const last = records[records.length - 1];
  const window = [
    ...(spec.last === undefined ? [] : [`newest ${spec.last}`]),
    ...(spec.since === undefined
      ? []
      : [`since ${new Date(spec.since).toISOString().slice(0, 16).replace('T', ' ')} UTC`]),
  ];
  const version = spec.modelVersion === undefined ? '' : ` version ${spec.modelVersion}`;
  return {
    dataset: {
      rows: records.length,
      columns: Object.fromEntries(MONITORED_FEATURE_COLUMNS.map((name, k) => [name, columns[k]!])),
    },
    source: {
      uri: 'inference-log',
      rows: records.length,
      ...(first && last ? { from: first.timestamp, to: last.timestamp } : {}),
      description: `${records.length} next-day predictions of ${spec.modelName}${version} (window: ${window.join(', ') || 'all'}; ${feedback} with feedback)`,
    },
    predictions,
    scored,
    feedback,
    versions,
    contract: [...badInputs(records), ...(await windowContract(records))],
  };
}

/**
 * Logged next-day predictions of the window, oldest first. The log counts every horizon step
 * in its limit, so the query widens until `last` next-day rows are found or the log runs out.
 */
async function queryWindow(store: InferenceLogStore, spec: WindowSpec): Promise<JoinedInference[]> {
  const base = {
    modelName: spec.modelName,
    ...(spec.modelVersion === undefined ? {} : { modelVersion: spec.modelVersion }),
    ...(spec.since === undefined ? {} : { since: spec.since }),
  };
  if (spec.last === undefined) {
    return (await store.queryPredictions(base)).filter((r) => r.horizonStep === 1);
  }
  if (spec.last <= 0) return [];
  for (let limit = spec.last; ; limit *= 4) {
    const rows = await store.queryPredictions({ ...base, limit });
    const next = rows.filter((r) => r.horizonStep === 1);
    if (next.length >= spec.last || rows.length < limit) return next.slice(-spec.last);
  }
}

/**
 * The contract on the closes the window saw: each request's last close on its input date, one
 * per date (the newest request's), in date order.
 */
async function windowContract(records: readonly JoinedInference[]): Promise<ContractViolation[]> {
  const byDate = new Map<string, number>();
  const undated: { close: number; label: string }[] = [];
  for (const r of records) {
    const close = r.inputs[r.inputs.length - 1] ?? Number.NaN;
    if (r.inputDate === undefined) undated.push({ close, label: `prediction ${r.predictionId}` });
    else byDate.set(r.inputDate, close);
  }
  const points =
    undated.length > 0
      ? records.map((r) => ({
          close: r.inputs[r.inputs.length - 1] ?? Number.NaN,
          label: `prediction ${r.predictionId}`,
        }))
      : [...byDate.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([date, close]) => ({ close, date }));
  return priceWindowContract(points, { source: 'inference log' });
}
