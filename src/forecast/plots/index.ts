/** @module forecast/plots: deterministic SVG charts, a self-contained HTML report, optional PNG. */
export { lineChartSvg, type LineChartSpec, type LineSeries } from './line-chart-svg.js';
export { actualVsPredictedSvg, type DatedForecast } from './actual-vs-predicted-svg.js';
export { residualsSvg } from './residuals-svg.js';
export { learningCurvesSvg, type LearningCurvesInput } from './learning-curves-svg.js';
export {
  htmlReport,
  type HtmlReportInput,
  type ReportSection,
  type ReportTable,
} from './html-report.js';
export { svgToPng, type PngResult } from './svg-to-png.js';
