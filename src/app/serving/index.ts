/** @module app/serving: `mlops serve` — registered packages behind the prediction server. */
export { serveModel, type ServeModelOptions, type ServingHandle } from './serve-model.js';
export { loadServedModel } from './loaded-model.js';
