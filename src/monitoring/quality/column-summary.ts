/** Evidently's DatasetSummaryMetric `almost_constant_threshold` default. */
export const ALMOST_CONSTANT_SHARE = 0.95;

/** A share with Evidently's convention for an empty side: 0, not NaN. */
export function share(count: number, of: number): number {
  return of > 0 ? count / of : 0;
}

/** Messages for a current column that is all missing, or constant where the reference was not. */
export function currentValueProblems(
  column: string,
  cur: { rows: number; missing: number; distinct: number },
  referenceDistinct: number,
  someValue: string,
): string[] {
  if (cur.rows === 0) return [];
  if (cur.missing === cur.rows) {
    return [`column '${column}': every current value is missing (${cur.rows} rows)`];
  }
  if (cur.distinct === 1 && referenceDistinct > 1) {
    return [
      `column '${column}': every present current value is ${someValue} (constant), while the reference has ${referenceDistinct} distinct values`,
    ];
  }
  return [];
}
