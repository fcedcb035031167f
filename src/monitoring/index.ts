/**
 * @module monitoring: drift statistics and the drift engine, data quality, regression performance,
 * reports (JSON + HTML), checks, monitor.yaml, snapshots and actions. Knows no forecasting: the
 * application layer passes it features, contracts and what retraining means.
 */
export type { ColumnValues, MonitorDataset } from './dataset.js';
export * from './stats/index.js';
export * from './quality/index.js';
export * from './performance/index.js';
export * from './checks/index.js';
export * from './config/index.js';
export * from './snapshots/index.js';
export * from './actions/index.js';
export * from './drift/index.js';
export * from './report/index.js';
