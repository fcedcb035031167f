import type { Forecaster } from './forecaster.js';
import { resolveParams, type ForecasterPreset } from './forecaster-params.js';
import { LstmForecaster } from './lstm-forecaster.js';
import type { RawParams } from './param-spec.js';
import { PersistenceForecaster } from './persistence-forecaster.js';
import { RidgeForecaster } from './ridge-forecaster.js';

/**
 * A new, unfitted forecaster of `kind` ('persistence' | 'linear' | 'lstm'). `params` may be
 * strings (CLI `--param k=v`) or numbers; unset ones take the preset's value, then the default.
 * Throws INVALID_PARAMETER_VALUE naming the param and its allowed range.
 */
export function createForecaster(
  kind: string,
  params: RawParams = {},
  preset?: ForecasterPreset,
): Forecaster {
  const k = kind as Forecaster['kind'];
  const resolved = resolveParams(k, params, preset);
  if (k === 'persistence') return new PersistenceForecaster(resolved);
  if (k === 'linear') return new RidgeForecaster(resolved);
  return new LstmForecaster(resolved);
}
