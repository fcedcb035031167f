/** The columns monitoring watches, in this order (issue 8 monitors exactly these). */
export const MONITORED_FEATURE_COLUMNS = [
  'last_close',
  'last_log_return',
  'return_5d',
  'volatility_20d',
  'mean_log_return',
] as const;

export type MonitoredFeatureColumn = (typeof MONITORED_FEATURE_COLUMNS)[number];

/** Daily log returns the volatility looks back over. */
const VOLATILITY_RETURNS = 20;
/** Days the multi-day return spans. */
const RETURN_DAYS = 5;

/**
 * The monitored features of one window of closes (oldest first, at least 2), in the order of
 * `MONITORED_FEATURE_COLUMNS`:
 * - last_close: the window's last close;
 * - last_log_return: ln(c[n-1] / c[n-2]);
 * - return_5d: c[n-1] / c[n-6] - 1;
 * - volatility_20d: sample standard deviation (n - 1 denominator, not annualised) of the last
 *   20 daily log returns;
 * - mean_log_return: the mean of the window's n - 1 daily log returns.
 *
 * Windows too short for a look-back use what they have, so every window of a served model (the
 * graphs take at least 2 closes) gets a value rather than a gap: return_5d spans min(5, n - 1)
 * days, volatility_20d uses the last min(20, n - 1) returns and is 0 when there is only one
 * return (no observed variation; NaN would not survive JSON).
 */
export function windowFeatures(window: ArrayLike<number>): number[] {
  const n = window.length;
  if (n < 2) throw new RangeError(`A feature window needs at least 2 closes, got ${n}.`);
  const at = (i: number) => window[i] ?? Number.NaN;
  const last = at(n - 1);
  const returns = Math.min(VOLATILITY_RETURNS, n - 1);
  const recent = new Float64Array(returns);
  for (let k = 0; k < returns; k++) {
    const i = n - returns + k;
    recent[k] = Math.log(at(i) / at(i - 1));
  }
  return [
    last,
    Math.log(last / at(n - 2)),
    last / at(n - 1 - Math.min(RETURN_DAYS, n - 1)) - 1,
    sampleStd(recent),
    Math.log(last / at(0)) / (n - 1),
  ];
}

/**
 * Feature rows for target rows `fromRow <= t < toRow` of a series: row k describes the window
 * `closes[t - window .. t - 1]` that predicts row t = max(fromRow, window) + k, the same windows
 * `slidingWindows` gives the model.
 */
export function monitoredFeatures(
  closes: ArrayLike<number>,
  window: number,
  fromRow = window,
  toRow = closes.length,
): number[][] {
  if (!Number.isInteger(window) || window < 2) {
    throw new RangeError(`window must be an integer >= 2, got ${window}.`);
  }
  const rows: number[][] = [];
  const last = Math.min(toRow, closes.length);
  const w = new Float64Array(window);
  for (let t = Math.max(fromRow, window); t < last; t++) {
    for (let i = 0; i < window; i++) w[i] = closes[t - window + i] ?? Number.NaN;
    rows.push(windowFeatures(w));
  }
  return rows;
}

function sampleStd(values: Float64Array): number {
  const n = values.length;
  if (n < 2) return 0;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return Math.sqrt(squares / (n - 1));
}
