/**
 * @module forecast/onnx: every forecaster as one ONNX graph, `closes` float32 [N, windowSize] ->
 * `next_close` float32 [N, 1], with scaling and the target transform inside, plus a thin
 * onnxruntime-node runner. Imports onnx-proto; load this folder with `await import(...)` so that
 * the CLI's start-up stays light (onnxruntime-node itself loads only when a model is run).
 */
export { exportPersistenceOnnx } from './persistence.js';
export { exportRidgeOnnx, type RidgeOnnxSpec } from './ridge.js';
export { exportLstmOnnx, type LstmOnnxSpec } from './lstm.js';
export type { LstmLayerWeights } from './lstm-weights.js';
export { runOnnx, openOnnxForecaster, type OnnxForecaster } from './run-onnx.js';
export { INPUT_NAME, OUTPUT_NAME, BATCH_DIM } from './forecast-graph.js';
export { IR_VERSION, OPSET_VERSION } from './graph-builder.js';
