import type { ModelPackageManifest } from '../../registry/index.js';

/** The rows every judged model is scored on: targets dated after all of their training data. */
export interface ComparisonRows {
  /** The dataset's dates and closes, whole (windows reach back before the first target). */
  readonly dates: readonly string[];
  readonly closes: Float64Array;
  /** Index of the first target row and how many there are (rows first .. first + count - 1). */
  readonly first: number;
  readonly count: number;
  /** The latest training end among the compared models; targets are dated after it. */
  readonly after?: string;
}

/**
 * The last date a package's model learned from: the end of its validation rows, not its
 * training rows, since early stopping (the LSTM) and alpha or window choices looked at them.
 * Persistence learns nothing (its next close is the last close), so it sets no bound; neither
 * does a package without row ranges (an external model: mlops does not know its data).
 */
export function trainedThrough(manifest: ModelPackageManifest): string | undefined {
  if (manifest.model_kind === 'persistence') return undefined;
  return manifest.row_ranges?.validation.last_date;
}

/**
 * The comparison rows of `dates`/`closes` for models with these manifests: every row dated
 * after the latest `trainedThrough` of them, that has a full window (the largest window among
 * them) before it. So no model is scored on a row it was fitted or early-stopped on.
 */
export function comparisonRows(
  dates: readonly string[],
  closes: Float64Array,
  manifests: readonly ModelPackageManifest[],
): ComparisonRows {
  let after: string | undefined;
  for (const m of manifests) {
    const end = trainedThrough(m);
    if (end !== undefined && (after === undefined || end > after)) after = end;
  }
  const window = Math.max(1, ...manifests.map((m) => m.signature.window));
  let first = window;
  if (after !== undefined) {
    const cut = after;
    const index = dates.findIndex((d) => d > cut);
    first = index < 0 ? dates.length : Math.max(first, index);
  }
  return {
    dates,
    closes,
    first,
    count: Math.max(0, dates.length - first),
    ...(after === undefined ? {} : { after }),
  };
}

/**
 * The `window` closes before each comparison target (oldest first), the targets, and the
 * persistence forecast of each as the graphs see it: the last close rounded to float32 (their
 * input type), so persistence through ONNX is exactly the naive forecast (skill 0, no
 * directional calls) rather than float32 rounding noise.
 */
export function comparisonWindows(
  rows: ComparisonRows,
  window: number,
): { windows: Float64Array[]; actual: Float64Array; previous: Float64Array } {
  const windows: Float64Array[] = [];
  const actual = new Float64Array(rows.count);
  const previous = new Float64Array(rows.count);
  for (let k = 0; k < rows.count; k++) {
    const i = rows.first + k;
    windows.push(rows.closes.slice(i - window, i));
    actual[k] = rows.closes[i] ?? Number.NaN;
    previous[k] = Math.fround(rows.closes[i - 1] ?? Number.NaN);
  }
  return { windows, actual, previous };
}
