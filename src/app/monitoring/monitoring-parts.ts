/**
 * What the application layer uses of the monitoring module, in one place, so the rest of
 * app/monitoring can load it lazily (`monitoring()` in monitor-report.ts) and keep it off the
 * CLI's start-up path.
 */
export {
  buildMonitorReport,
  computeDataDrift,
  computeDataQuality,
  computeRegressionPerformance,
  evaluateConditions,
  loadMonitorConfig,
  retrainAction,
  runActions,
  SqlSnapshotStore,
  webhookAction,
  writeReportFiles,
  type ActionOutcome,
  type ColumnDrift,
  type ColumnValues,
  type Condition,
  type ConditionResult,
  type ContractViolation,
  type DataDriftResult,
  type DriftOptions,
  type MonitorAction,
  type MonitorConfig,
  type MonitorDataset,
  type MonitorReport,
  type MonitorSnapshot,
  type RegressionPerformance,
  type ReportSource,
  type ScoredPrediction,
  type SnapshotStore,
} from '../../monitoring/index.js';
