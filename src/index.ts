/**
 * The mlops SDK.
 *
 * @example
 * import { connect, withRun } from 'mlops';
 * const client = await connect();
 * await withRun(client, { experiment: 'goog', name: 'ridge' }, async (run) => {
 *   await run.logParams({ alpha: 1 });
 *   run.logMetric('rmse', 2.66);
 * });
 * await client.close();
 */
export {
  connect,
  findWorkspace,
  gcRoots,
  showLineage,
  compareRuns,
  openRegistry,
  openInferenceLog,
  registerModel,
  resolveModelUri,
  loadModelPackage,
  promote,
  serveModel,
  type ConnectOptions,
  type ModelsContext,
  type ServeModelOptions,
} from './app/index.js';
export {
  SqlRegistryStore,
  type RegistryStore,
  type RegisteredModel,
  type ModelVersion,
  type ModelPackageManifest,
} from './registry/index.js';
export {
  startPredictionServer,
  InferenceLogWriter,
  SqlInferenceLogStore,
  OnnxRunner,
  type InferenceLogStore,
  type LoadedModel,
  type ModelRunner,
} from './serving/index.js';
export { MlopsError, ERROR_CODES, type ErrorCode } from './core/index.js';
export {
  TrackingClient,
  ActiveRun,
  withRun,
  SqlTrackingStore,
  type TrackingStore,
  type StartRunOptions,
  type Experiment,
  type Run,
  type RunInfo,
  type RunData,
  type Metric,
  type RunStatus,
  type Page,
  type FileInfo,
} from './tracking/index.js';
export { LocalBlobStore, type BlobStore, collectGarbage, verifyBlobs } from './blobs/index.js';
export {
  SqlLineageStore,
  type LineageStore,
  parseNodeUri,
  formatNodeUri,
} from './lineage/index.js';
export { openDatabase, type Database } from './storage/index.js';
