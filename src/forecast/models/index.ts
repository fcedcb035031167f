/**
 * @module forecast/models: the Forecaster interface and its three models (persistence, ridge,
 * LSTM), their params, save/load, and the lazy TensorFlow.js loader. Nothing here imports tfjs or
 * onnx-proto at load time; they load when an LSTM is fitted or loaded, or a model is exported.
 */
export type { EpochLog, FitHooks, FitInput, Forecaster, ModelKind } from './forecaster.js';
export {
  sequenceLength,
  transformTarget,
  transformWindow,
  untransformOutput,
  type WindowTransform,
} from './window-transform.js';
export { createForecaster } from './create-forecaster.js';
export { loadForecaster } from './load-forecaster.js';
export {
  FORECASTER_PRESETS,
  MODEL_KINDS,
  PARAM_SPECS,
  isModelKind,
  resolveParams,
  type ForecasterPreset,
  type LstmParams,
  type ParamsByKind,
  type PersistenceParams,
  type RidgeParams,
} from './forecaster-params.js';
export type { ParamValue, RawParams } from './param-spec.js';
export { PersistenceForecaster } from './persistence-forecaster.js';
export { RidgeForecaster, type RidgeState } from './ridge-forecaster.js';
export { LstmForecaster, type LstmState } from './lstm-forecaster.js';
export type { TrainingSummary } from './train-lstm.js';
export {
  loadTensorflow,
  type LoadedTensorflow,
  type Tensorflow,
  type TfBackend,
} from './load-tensorflow.js';
export { SeededRandom } from './seeded-random.js';
export { MANIFEST_FILE, type ForecasterManifest } from './forecaster-files.js';
export { syntheticCloses } from './synthetic-closes.js';
