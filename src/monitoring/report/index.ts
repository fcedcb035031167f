/** @module monitoring/report: the monitor report, its JSON schema, flat metrics, HTML page and files. */
export type { MonitorReport, ReportSource } from './report-types.js';
export { MONITOR_REPORT_SCHEMA } from './report-schema.js';
export { monitorReportJsonSchema, parseMonitorReport } from './parse-monitor-report.js';
export { flattenMetrics, type MetricParts } from './flatten-metrics.js';
export { buildMonitorReport, type MonitorReportInput } from './build-monitor-report.js';
export { renderReportHtml } from './html/render-report-html.js';
export { writeReportFiles, type ReportFiles } from './write-report-files.js';
