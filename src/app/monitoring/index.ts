/**
 * @module app/monitoring: monitoring wired to the forecasting problem — references from model
 * packages or files, the served window of the inference log as feature rows, the data contract,
 * notes, snapshots with lineage, and retraining (data import + repro + gate) as an action.
 */
export {
  monitorReport,
  INFERENCE_LOG,
  type MonitorReportOptions,
  type MonitorReportResult,
} from './monitor-report.js';
export {
  monitorCheck,
  monitorRun,
  monitorHistory,
  monitorName,
  MONITORED_BY,
  DEFAULT_REPORT,
  type MonitorCheckResult,
  type MonitorJobOptions,
  type MonitorRunResult,
} from './monitor-run.js';
export { readTableFile, DEFAULT_FEATURE_WINDOW, type TableData } from './table-file.js';
export { inferenceWindow, type InferenceWindow, type WindowSpec } from './inference-window.js';
export { priceLevelNotes } from './monitor-notes.js';
export { retrain, type RetrainJob } from './retrain-job.js';
