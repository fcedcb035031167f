import type { ColumnValues } from '../dataset.js';

/** How a column is stored: a Float64Array of numbers or an array of labels. */
export type Representation = 'numbers' | 'labels';

export function representationOf(values: ColumnValues): Representation {
  return values instanceof Float64Array ? 'numbers' : 'labels';
}

/** Words for messages: what a representation looks like to the caller. */
export function describeRepresentation(r: Representation): string {
  return r === 'numbers' ? 'numbers (Float64Array)' : 'labels (string array)';
}

/**
 * Evidently's default missing values are null/NaN, "" and ±inf (DatasetMissingValuesMetric), so
 * an empty label is missing too. `undefined` can arrive from JSON-built arrays; it is null here.
 */
export function isMissingLabel(label: string | null | undefined): label is null | undefined | '' {
  return label === null || label === undefined || label === '';
}

/**
 * Labels of a numerical column read as a categorical one (an explicit `kinds` override):
 * finite numbers print as JavaScript does, NaN/±inf become missing.
 */
export function numbersAsLabels(values: Float64Array): (string | null)[] {
  return Array.from(values, (x) => (Number.isFinite(x) ? String(x) : null));
}

/**
 * Labels read as numbers (an explicit `numerical` kind over a label column). Missing labels are
 * NaN; a label that is no number is reported with its row, not silently counted as missing.
 */
export function labelsAsNumbers(
  labels: readonly (string | null)[],
): { values: Float64Array } | { badRow: number; label: string } {
  const values = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === null || label === undefined || label.trim() === '') {
      values[i] = NaN;
      continue;
    }
    const x = Number(label);
    if (Number.isNaN(x)) return { badRow: i, label };
    values[i] = x;
  }
  return { values };
}
