/** @module api: the HTTP contract: request schemas and the wire shapes server and clients share. */
export * as MlflowTracking from './mlflow-tracking-schemas.js';
export * from './to-wire.js';
export { stringifyWire } from './wire-json.js';
export {
  bool,
  double,
  idString,
  int64,
  keyValue,
  keyValues,
  repeated,
  RUN_STATUS_NAMES,
  runStatus,
  VIEW_TYPES,
  viewType,
} from './zod-fields.js';
export * as LoggedModels from './logged-model-schemas.js';
export { loggedModelToWire, type WireLoggedModel } from './logged-model-schemas.js';
export * as Native from './native-schemas.js';
export * as MlflowRegistry from './registry-schemas.js';
export {
  modelVersionToWire,
  registeredModelToWire,
  type WireModelVersion,
  type WireRegisteredModel,
} from './registry-to-wire.js';
export * as InferenceLog from './inference-log-schemas.js';
