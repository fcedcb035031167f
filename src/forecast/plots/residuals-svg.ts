import { checkDatedForecast, type DatedForecast } from './actual-vs-predicted-svg.js';
import { lineChartSvg } from './line-chart-svg.js';

/** Residuals actual - predicted over the test period, around a dashed zero line. */
export function residualsSvg(input: DatedForecast): string {
  checkDatedForecast(input);
  const residuals = Float64Array.from(
    input.dates,
    (_, i) => (input.actual[i] ?? Number.NaN) - (input.predicted[i] ?? Number.NaN),
  );
  return lineChartSvg({
    title: input.title,
    x: input.dates.map((_, i) => i),
    xTickLabel: (i) => input.dates[i] ?? '',
    xLabel: 'date',
    yLabel: 'actual - predicted',
    zeroLine: true,
    // Dots help on short test periods and clutter long ones.
    series: [
      { name: 'residual', values: residuals, color: '#2ca02c', markers: residuals.length <= 60 },
    ],
    ...(input.width === undefined ? {} : { width: input.width }),
    ...(input.height === undefined ? {} : { height: input.height }),
  });
}
