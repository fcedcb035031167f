/**
 * The next business day (Monday to Friday) after an ISO date. Exchange holidays are not known
 * here: a prediction for a holiday is matched to the next session's close by feedback date.
 */
export function nextBusinessDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  do d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}

/** The `count` business days after `date`, in order. */
export function businessDaysAfter(date: string, count: number): string[] {
  const days: string[] = [];
  let last = date;
  for (let i = 0; i < count; i++) days.push((last = nextBusinessDay(last)));
  return days;
}
