import type { Forecaster } from './forecaster.js';
import { readManifest, type ForecasterManifest } from './forecaster-files.js';
import { MlopsError } from '../../core/index.js';
import { loadTensorflow } from './load-tensorflow.js';
import { LstmForecaster } from './lstm-forecaster.js';
import { PersistenceForecaster } from './persistence-forecaster.js';
import { RidgeForecaster } from './ridge-forecaster.js';
import { loadLayersModel } from './tfjs-file-io.js';
import type { TrainingSummary } from './train-lstm.js';
import { sequenceLength } from './window-transform.js';

function corrupt(dir: string, what: string): MlopsError {
  return new MlopsError('INVALID_PARAMETER_VALUE', `The forecaster in '${dir}' ${what}.`);
}

function transformOf(dir: string, m: ForecasterManifest) {
  if (!m.transform) throw corrupt(dir, 'has no transform');
  return m.transform;
}

/** Reads a forecaster written by `save(dir)` (any kind), ready to predict and export. */
export async function loadForecaster(dir: string): Promise<Forecaster> {
  const m = await readManifest(dir);
  if (m.kind === 'persistence') return new PersistenceForecaster(m.params);
  if (m.kind === 'linear') {
    const transform = transformOf(dir, m);
    const { weights, bias } = (m.state ?? {}) as { weights?: unknown; bias?: unknown };
    const ok =
      Array.isArray(weights) &&
      weights.length === sequenceLength(transform, m.windowSize) &&
      weights.every((w) => typeof w === 'number') &&
      typeof bias === 'number';
    if (!ok) throw corrupt(dir, 'has no valid ridge weights and bias');
    return new RidgeForecaster(m.params, {
      transform,
      weights: Float64Array.from(weights as number[]),
      bias,
    });
  }
  const transform = transformOf(dir, m);
  const { tf, backend } = await loadTensorflow();
  const model = await loadLayersModel(tf, dir);
  // The training record is informational (learning curves); absent in older or foreign dirs.
  const training = (m.state as { training?: TrainingSummary } | undefined)?.training;
  return new LstmForecaster(m.params, { tf, backend, model, transform, training });
}
