export type {
  FeedbackRecord,
  InferenceLogStore,
  InferenceQuery,
  InferenceRecord,
  InferenceRoute,
  JoinedInference,
} from './inference-log-store.js';
export { InferenceLogWriter, type InferenceLogWriterOptions } from './inference-log-writer.js';
export { SqlInferenceLogStore } from './sql-inference-log-store.js';
export { SqliteWorkerInferenceLogStore } from './sqlite-worker-inference-log-store.js';
export { isIsoDate, validateFeedback, validatePredictions } from './validate-records.js';
