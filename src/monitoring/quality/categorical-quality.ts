import { isMissingLabel } from './column-values.js';
import { ALMOST_CONSTANT_SHARE, currentValueProblems, share } from './column-summary.js';
import type { ColumnQuality } from './quality-types.js';

/** How many new labels a result lists; the counts cover all of them. */
export const MAX_LISTED_NEW_CATEGORIES = 100;

/** One side of a categorical column: label counts without the missing rows. */
export interface LabelProfile {
  readonly rows: number;
  readonly missing: number;
  readonly counts: ReadonlyMap<string, number>;
  readonly topCount: number;
}

export function profileLabels(labels: readonly (string | null)[]): LabelProfile {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const label of labels) {
    if (isMissingLabel(label)) missing++;
    else counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  let topCount = 0;
  for (const c of counts.values()) topCount = Math.max(topCount, c);
  return { rows: labels.length, missing, counts, topCount };
}

/**
 * Quality of one categorical column against its reference. New categories are Evidently's
 * ColumnValueListMetric with the list taken from the reference: current rows whose label the
 * reference never holds, as a share of all current rows (missing ones included, as it does).
 */
export function categoricalQuality(
  column: string,
  reference: readonly (string | null)[],
  current: readonly (string | null)[],
): { quality: ColumnQuality; problems: string[] } {
  const ref = profileLabels(reference);
  const cur = profileLabels(current);
  const problems: string[] = [];

  const fresh = [...cur.counts].filter(([label]) => !ref.counts.has(label));
  // Most frequent first (ties by label) so a capped list keeps the labels that matter.
  fresh.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const outOfList = fresh.reduce((sum, [, count]) => sum + count, 0);
  if (ref.rows > 0 && ref.counts.size === 0) {
    problems.push(
      `column '${column}': every reference value is missing, so every present current label counts as new`,
    );
  }

  const quality: ColumnQuality = {
    column,
    kind: 'categorical',
    missing: cur.missing,
    missingShare: share(cur.missing, cur.rows),
    referenceMissingShare: share(ref.missing, ref.rows),
    newCategories: fresh.slice(0, MAX_LISTED_NEW_CATEGORIES).map(([label]) => label),
    newCategoryCount: fresh.length,
    outOfList,
    outOfListShare: share(outOfList, cur.rows),
    constant: cur.counts.size <= 1,
    almostConstant: cur.rows > 0 && cur.topCount / cur.rows >= ALMOST_CONSTANT_SHARE,
  };
  const someLabel = cur.counts.keys().next().value ?? '';
  problems.push(
    ...currentValueProblems(
      column,
      { ...cur, distinct: cur.counts.size },
      ref.counts.size,
      `'${someLabel}'`,
    ),
  );
  return { quality, problems };
}
