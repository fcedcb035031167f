import { fieldError, isoDate, isPlainObject, list, onlyKeys, price } from './field-checks.js';

/** A validated `POST /predict` body. */
export interface PredictRequest {
  /** The last `window` closes given, oldest first. */
  readonly window: Float64Array;
  /** The last date given (series form only). */
  readonly lastDate?: string;
  /** Recursive steps to predict (1 = the next close). */
  readonly horizon: number;
}

export interface PredictLimits {
  readonly window: number;
  readonly maxHorizon: number;
}

/**
 * `{ "series": [{"date", "close"}, ...] }` or `{ "prices": [...] }`, at least `window` entries
 * (only the last `window` are used, but every entry is checked), optional `horizon`. Errors name
 * the field path (`series[4].date`) and what was expected.
 */
export function parsePredictRequest(body: unknown, limits: PredictLimits): PredictRequest {
  if (!isPlainObject(body)) {
    throw fieldError('', 'a JSON object with "series" or "prices"', body);
  }
  onlyKeys(body, ['series', 'prices', 'horizon'], '');
  const horizon = parseHorizon(body['horizon'], limits.maxHorizon);
  const hasSeries = body['series'] !== undefined;
  const hasPrices = body['prices'] !== undefined;
  if (hasSeries === hasPrices) {
    throw fieldError(
      '',
      `exactly one of "series" (a list of {"date", "close"}) or "prices" (a list of closes), at least ${limits.window} entries`,
    );
  }
  if (hasPrices) {
    const prices = list(body['prices'], 'prices', 'closing prices', limits.window);
    const closes = prices.map((p, i) => price(p, `prices[${i}]`));
    return { window: Float64Array.from(closes.slice(-limits.window)), horizon };
  }
  const rows = list(body['series'], 'series', '{"date", "close"} rows', limits.window);
  const closes: number[] = [];
  let last = '';
  rows.forEach((row, i) => {
    if (!isPlainObject(row)) throw fieldError(`series[${i}]`, 'an object {"date", "close"}', row);
    const date = isoDate(row['date'], `series[${i}].date`);
    if (date <= last) {
      throw fieldError(
        `series[${i}].date`,
        `a date after ${last} (series[${i - 1}].date): rows must be in increasing date order`,
        date,
      );
    }
    last = date;
    closes.push(price(row['close'], `series[${i}].close`));
  });
  return { window: Float64Array.from(closes.slice(-limits.window)), lastDate: last, horizon };
}

function parseHorizon(value: unknown, max: number): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw fieldError('horizon', `a whole number of steps from 1 to ${max}`, value);
  }
  return value;
}
