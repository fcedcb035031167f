import { MlopsError } from '../../core/index.js';
import type { LoadedRegisteredModel } from '../models/index.js';
import type { MonitorDataset, RegressionPerformance, ReportSource } from './monitoring-parts.js';
import { readTableFile } from './table-file.js';

/** What a report compares with: feature rows, and from a model package its holdout and scores. */
export interface MonitorReference {
  readonly dataset: MonitorDataset;
  readonly source: ReportSource;
  /** The package's predictions on its test rows (for prediction drift). */
  readonly predictions?: Float64Array;
  /** The version's registered holdout scores (MAPE as a fraction). */
  readonly registered?: RegressionPerformance['registered'];
  /** The version it came from. */
  readonly model?: { readonly name: string; readonly version: string };
}

/**
 * The reference of a model version: its package's `reference.json` (the monitored feature rows
 * of the training windows), the holdout predictions and the registered metrics.
 *
 * @throws MlopsError INVALID_STATE when the package has no reference sample.
 */
export async function packageReference(
  loaded: LoadedRegisteredModel,
  uri: string,
): Promise<MonitorReference> {
  const version = { name: loaded.name, version: loaded.version };
  const sample = await loaded.files.reference();
  const label = `${version.name} version ${version.version}`;
  if (!sample) {
    throw new MlopsError(
      'INVALID_STATE',
      `Model ${label} (${uri}) has no reference sample (reference.json) to monitor against; it was registered without one. Pass a data file as --reference, or register the model again with \`mlops models register\`.`,
      { details: { uri, name: version.name, version: version.version } },
    );
  }
  const { columns, rows } = sample.features;
  const dataset: MonitorDataset = {
    rows: rows.length,
    columns: Object.fromEntries(
      columns.map((name, k) => [name, Float64Array.from(rows, (row) => row[k] ?? Number.NaN)]),
    ),
  };
  const train = loaded.manifest.row_ranges?.train;
  return {
    dataset,
    source: {
      uri: `models:/${version.name}/${version.version}`,
      rows: rows.length,
      ...(train ? { from: Date.parse(train.first_date), to: Date.parse(train.last_date) } : {}),
      description: `${label}: monitored features of its training windows${uri.includes('@') ? ` (${uri})` : ''}`,
    },
    predictions: Float64Array.from(sample.holdout.predicted),
    ...registeredOf(loaded),
    model: { name: version.name, version: version.version },
  };
}

/** A data file as the reference (see `readTableFile`); price files use `window` closes. */
export async function fileReference(path: string, window: number): Promise<MonitorReference> {
  const table = await readTableFile(path, window);
  const predictions = table.dataset.columns['prediction'];
  return {
    dataset: table.dataset,
    source: table.source,
    ...(predictions instanceof Float64Array ? { predictions } : {}),
  };
}

/** The registered holdout scores of a package, MAPE converted from percent to a fraction. */
export function registeredOf(
  loaded: Pick<LoadedRegisteredModel, 'manifest'>,
): Pick<MonitorReference, 'registered'> {
  const m = loaded.manifest.metrics ?? {};
  const registered = {
    ...(m['mae'] === undefined ? {} : { mae: m['mae'] }),
    ...(m['rmse'] === undefined ? {} : { rmse: m['rmse'] }),
    // forecastMetrics records MAPE in percent; monitoring's MAPE is a fraction.
    ...(m['mape'] === undefined ? {} : { mape: m['mape'] / 100 }),
    ...(m['skill'] === undefined ? {} : { skill: m['skill'] }),
  };
  return Object.keys(registered).length > 0 ? { registered } : {};
}
