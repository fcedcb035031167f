import { invalidParam } from '../../core/index.js';
import type { EpochLog } from '../models/forecaster.js';
import { lineChartSvg, type LineSeries } from './line-chart-svg.js';

export interface LearningCurvesInput {
  readonly epochs: readonly EpochLog[];
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
}

/** Training and (when logged) validation loss per epoch. */
export function learningCurvesSvg(input: LearningCurvesInput): string {
  const { epochs } = input;
  const title = input.title ?? 'Learning curves';
  if (epochs.length === 0) throw invalidParam(`Chart '${title}': no epochs to plot.`);
  const markers = epochs.length <= 60;
  const series: LineSeries[] = [
    { name: 'loss', values: epochs.map((e) => e.loss), color: '#1f77b4', markers },
  ];
  if (epochs.some((e) => e.valLoss !== undefined)) {
    const values = epochs.map((e) => e.valLoss ?? Number.NaN);
    series.push({ name: 'val_loss', values, color: '#ff7f0e', dashed: true, markers });
  }
  return lineChartSvg({
    title,
    x: epochs.map((e) => e.epoch),
    xLabel: 'epoch',
    yLabel: 'loss',
    series,
    ...(input.width === undefined ? {} : { width: input.width }),
    ...(input.height === undefined ? {} : { height: input.height }),
  });
}
