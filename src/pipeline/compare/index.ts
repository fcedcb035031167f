/** Comparing revisions of a pipeline's results: params diff, metrics show/diff, plots diff. */
export { WORKSPACE, type ReadStored, type RevisionRef } from './revision.js';
export {
  paramsDiff,
  type ChangeStatus,
  type ParamRow,
  type ParamsDiff,
  type ParamsDiffOptions,
} from './params-diff.js';
export type { MetricValue } from './metric-files.js';
export { metricsShow, type MetricsShow, type MetricsShowOptions } from './metrics-show.js';
export {
  metricsDiff,
  type MetricRow,
  type MetricsDiff,
  type MetricsDiffOptions,
} from './metrics-diff.js';
export {
  plotsDiff,
  type PlotReport,
  type PlotSpec,
  type PlotsDiff,
  type PlotsDiffOptions,
} from './plots-diff.js';
