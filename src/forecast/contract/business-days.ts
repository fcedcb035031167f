const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date, NaN when it is not one. */
const epochDay = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

/**
 * Business days (Mon-Fri) after `from` up to and including `to`: the next trading day is 1 apart,
 * Friday to Monday is 1 too, a missing week is 6. Holidays count as business days. 0 when `to` is
 * not after `from`, NaN when a date is invalid.
 */
export function businessDaysBetween(from: string, to: string): number {
  const start = epochDay(from);
  const end = epochDay(to);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return Number.NaN;
  if (end <= start) return 0;
  const days = end - start;
  let count = Math.floor(days / 7) * 5;
  // The remaining < 7 days, one by one; 1970-01-01 was a Thursday (weekday 4).
  for (let d = start + Math.floor(days / 7) * 7 + 1; d <= end; d++) {
    const weekday = (((d + 4) % 7) + 7) % 7;
    if (weekday !== 0 && weekday !== 6) count++;
  }
  return count;
}
