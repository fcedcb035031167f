/** @module pipeline: mlops.yaml stages, the DAG, mlops.lock, staleness, run-cache, executors, steps. */
export * from './spec/index.js';
export * from './dag/index.js';
export * from './compare/index.js';
export * from './lock/index.js';
export { StepRegistry, type PipelineStep, type StepContext } from './steps/step-registry.js';
export type {
  Executor,
  StageIo,
  StageOutcome,
  StageTask,
  StoredInput,
} from './executors/executor.js';
export { LocalExecutor } from './executors/local-executor.js';
export { QueueExecutor, type QueueExecutorOptions } from './executors/queue-executor.js';
export { runCommands, type CommandsResult } from './executors/run-commands.js';
export { RunCache, RUN_CACHE_DIR } from './run-cache/run-cache.js';
export { reproduce, LOGS_DIR } from './repro/reproduce.js';
export {
  startReproTracking,
  PipelineTags,
  type ReproTrackingOptions,
} from './repro/repro-tracker.js';
export type {
  DagView,
  ReproEvent,
  ReproOptions,
  ReproReport,
  ReproTracker,
  StageDetails,
  StageReport,
  StageStatus,
} from './repro/repro-types.js';
export {
  pipelineRoots,
  pipelineRevisionRoots,
  type PipelineRevisionSelection,
} from './repro/pipeline-roots.js';
export {
  runWorker,
  type RunWorkerOptions,
  type StageWorker,
  type WorkerEvent,
} from './worker/run-worker.js';
export { DEFAULT_QUEUE, type QueueTarget, type SharedRemote } from './worker/stage-job.js';
export { checkRedis } from './worker/redis-check.js';
