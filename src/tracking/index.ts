/** @module tracking: experiments, runs, params, metrics, tags, artifacts, run search, and the SDK. */
export * from './entities.js';
export type * from './tracking-store.js';
export { SqlTrackingStore } from './sql-tracking-store.js';
export { TrackingClient, withRun, type StartRunOptions } from './tracking-client.js';
export { ActiveRun } from './active-run.js';
export { Limits } from './limits.js';
export { safeArtifactPath } from './artifact-path.js';
export {
  artifactChildren,
  listArtifacts,
  downloadArtifacts,
  logArtifact,
  logArtifacts,
} from './artifacts.js';
export { parseSearchFilter, parseOrderBy } from './search/index.js';
export {
  LOGGED_MODEL_STATUSES,
  SqlLoggedModelStore,
  type CreateLoggedModelInput,
  type LoggedModel,
  type LoggedModelMetric,
  type LoggedModelStatus,
} from './sql-logged-model-store.js';
export { SqlRunIoStore, type DatasetInput, type RunIo } from './sql-run-io-store.js';
export { decodeOffsetToken, encodeOffsetToken } from './page-token.js';
