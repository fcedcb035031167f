import { invalidParam } from '../../core/index.js';
import { dieboldMariano } from './diebold-mariano.js';
import { wilsonInterval } from './wilson-interval.js';

export interface ForecastMetricsInput {
  /** The true closes of the target rows. */
  readonly actual: Float64Array;
  /** The model's one-step-ahead forecasts of those closes. */
  readonly predicted: Float64Array;
  /** The close before each target (yesterday's close): the persistence forecast. */
  readonly previous: Float64Array;
}

/** Snake-case keys: these are the metric names logged on runs. All values in price units. */
export interface ForecastMetrics {
  readonly n: number;
  readonly rmse: number;
  readonly mae: number;
  /** Percent; NaN when some actual close is 0. */
  readonly mape: number;
  /** Share of targets where sign(pred - previous) == sign(actual - previous), signs in {-1, 0, 1}. */
  readonly directional_accuracy: number;
  /** 95% Wilson score interval of directional_accuracy. */
  readonly directional_accuracy_ci_low: number;
  readonly directional_accuracy_ci_high: number;
  /** RMSE of persistence (predicting `previous`) on the same targets. */
  readonly persistence_rmse: number;
  /** 1 - rmse / persistence_rmse; NaN when persistence is exact. */
  readonly skill: number;
  /** std(pred - previous) / std(actual - previous), population std; NaN when actual changes are constant. */
  readonly change_std_ratio: number;
  /** Diebold-Mariano vs persistence, squared-error loss, h = 1; < 0 means the model is more accurate. */
  readonly dm_statistic: number;
  /** Two-sided p-value of dm_statistic, normal approximation. */
  readonly dm_p_value: number;
  /** Two-sided p-value with the Harvey-Leybourne-Newbold correction and Student t(n - 1). */
  readonly dm_hln_p_value: number;
}

/**
 * Point-forecast metrics against persistence. Directional accuracy counts a "no change" forecast
 * as right only when the close did not change either, so persistence itself scores about 0 (it
 * makes no directional call); 0.5 is the coin-flip reference for a model that always calls a
 * direction. The DM statistic and both p-values are NaN when the loss differential is constant
 * (e.g. the model is persistence), see `dieboldMariano`.
 */
export function forecastMetrics(input: ForecastMetricsInput): ForecastMetrics {
  const { actual, predicted, previous } = input;
  const n = actual.length;
  checkSeries(input, n);
  const lossModel = new Float64Array(n);
  const lossPersistence = new Float64Array(n);
  const predictedChange = new Float64Array(n);
  const actualChange = new Float64Array(n);
  let absSum = 0;
  let apeSum = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const a = actual[i] ?? Number.NaN;
    const p = predicted[i] ?? Number.NaN;
    const prev = previous[i] ?? Number.NaN;
    lossModel[i] = (a - p) ** 2;
    lossPersistence[i] = (a - prev) ** 2;
    predictedChange[i] = p - prev;
    actualChange[i] = a - prev;
    absSum += Math.abs(a - p);
    apeSum += a === 0 ? Number.NaN : Math.abs((a - p) / a);
    if (Math.sign(p - prev) === Math.sign(a - prev)) hits++;
  }
  const rmse = Math.sqrt(mean(lossModel));
  const persistenceRmse = Math.sqrt(mean(lossPersistence));
  const actualStd = populationStd(actualChange);
  const ci = wilsonInterval(hits, n);
  const dm = dieboldMariano(lossModel, lossPersistence);
  return {
    n,
    rmse,
    mae: absSum / n,
    mape: (100 * apeSum) / n,
    directional_accuracy: hits / n,
    directional_accuracy_ci_low: ci.low,
    directional_accuracy_ci_high: ci.high,
    persistence_rmse: persistenceRmse,
    skill: persistenceRmse > 0 ? 1 - rmse / persistenceRmse : Number.NaN,
    change_std_ratio: actualStd > 0 ? populationStd(predictedChange) / actualStd : Number.NaN,
    dm_statistic: dm.statistic,
    dm_p_value: dm.pValue,
    dm_hln_p_value: dm.hlnPValue,
  };
}

function checkSeries(input: ForecastMetricsInput, n: number): void {
  if (n === 0) throw invalidParam('forecastMetrics needs at least one target; got none.');
  for (const key of ['actual', 'predicted', 'previous'] as const) {
    const values = input[key];
    if (values.length !== n) {
      throw invalidParam(
        `forecastMetrics: '${key}' has ${values.length} values but 'actual' has ${n}; pass one value per target.`,
      );
    }
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw invalidParam(
        `forecastMetrics: '${key}'[${bad}] is ${values[bad]}; expected a finite number.`,
      );
    }
  }
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Population std (divide by n): the ratio of two stds is the same with either convention. */
export function populationStd(values: Float64Array): number {
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) ** 2;
  return Math.sqrt(sum / values.length);
}
