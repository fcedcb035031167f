/**
 * @module serving: model runners (ONNX Runtime, or a function the app provides), the model slot
 * that swaps versions without dropping a request, the alias follower, the prediction server and
 * the inference log. Nothing heavy loads with this module: onnxruntime-node, fastify and
 * prom-client are imported when a runner opens or a server is created.
 */
export * from './inference-log/index.js';
export type { LoadedModel, ModelRef } from './loaded-model.js';
export type { ModelRunner } from './model-runner.js';
export { OnnxRunner, type OnnxRunnerOptions } from './onnx-runner.js';
export { FunctionRunner, type PredictFunction } from './function-runner.js';
export { openRunner, type OpenRunnerOptions } from './open-runner.js';
export {
  ModelSlot,
  sameRef,
  type ModelLease,
  type ModelSlotOptions,
  type ServedModel,
  type SlotEvent,
  type SwapResult,
} from './model-slot.js';
export { AliasFollower, type AliasFollowerOptions, type FollowOutcome } from './alias-follower.js';
export {
  createPredictionServer,
  DEFAULT_BODY_LIMIT,
  DEFAULT_MAX_HORIZON,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type PredictionServer,
  type PredictionServerOptions,
} from './http/prediction-server.js';
export {
  startPredictionServer,
  type RunningPredictionServer,
  type StartPredictionServerOptions,
} from './http/start-prediction-server.js';
export type { ServingMetrics } from './http/serving-metrics.js';
export { nextBusinessDay } from './http/business-days.js';
