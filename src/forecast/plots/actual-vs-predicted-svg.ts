import { invalidParam } from '../../core/index.js';
import { lineChartSvg } from './line-chart-svg.js';

export interface DatedForecast {
  /** ISO dates of the target rows, one per value. */
  readonly dates: readonly string[];
  readonly actual: ArrayLike<number>;
  readonly predicted: ArrayLike<number>;
  readonly title: string;
  readonly width?: number;
  readonly height?: number;
}

/** Checks one date per value: a chart with shifted labels would mislead quietly. */
export function checkDatedForecast(input: DatedForecast): void {
  const n = input.dates.length;
  if (input.actual.length !== n || input.predicted.length !== n) {
    throw invalidParam(
      `Chart '${input.title}': ${n} dates, ${input.actual.length} actual and ${input.predicted.length} predicted values; expected one of each per date.`,
    );
  }
}

/** Actual vs predicted closes over the test period (x: target date). */
export function actualVsPredictedSvg(input: DatedForecast): string {
  checkDatedForecast(input);
  return lineChartSvg({
    title: input.title,
    x: input.dates.map((_, i) => i),
    xTickLabel: (i) => input.dates[i] ?? '',
    xLabel: 'date',
    yLabel: 'close',
    series: [
      { name: 'actual', values: input.actual, color: '#1f77b4' },
      { name: 'predicted', values: input.predicted, color: '#d62728', dashed: true },
    ],
    ...(input.width === undefined ? {} : { width: input.width }),
    ...(input.height === undefined ? {} : { height: input.height }),
  });
}
