/**
 * @module forecast: the sample problem, daily close forecasting. Loading and the data contract,
 * the protocol split, the three models behind `Forecaster`, evaluation, plots, and tracked
 * training and backtests. TensorFlow.js and the ONNX packages load only when a model needs them.
 */
export * from './series/index.js';
export * from './contract/index.js';
export * from './features/index.js';
export * from './models/index.js';
export * from './evaluation/index.js';
export * from './plots/index.js';
export { parseModelKind, parsePreset } from './model-kind.js';
export {
  trainForecast,
  type TrainForecastOptions,
  type TrainForecastResult,
} from './tracked/train-forecast.js';
export {
  backtestForecast,
  type BacktestFold,
  type BacktestForecastOptions,
  type BacktestForecastResult,
} from './tracked/backtest-forecast.js';
export { loadDataset, type LoadedDataset } from './tracked/load-dataset.js';
export { splitRanges, type RowRange } from './tracked/split-ranges.js';
/** The ONNX exporters and runner, loaded on demand: onnx-proto and onnxruntime-node are heavy. */
export const loadForecastOnnx = () => import('./onnx/index.js');
