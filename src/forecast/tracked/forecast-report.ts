import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ValidationReport } from '../contract/index.js';
import type { ForecastMetrics } from '../evaluation/index.js';
import type { EpochLog } from '../models/index.js';
import {
  actualVsPredictedSvg,
  htmlReport,
  learningCurvesSvg,
  residualsSvg,
  svgToPng,
  type ReportSection,
} from '../plots/index.js';

export interface ForecastReportInput {
  readonly model: string;
  /** Dates of the test targets. */
  readonly dates: readonly string[];
  readonly actual: Float64Array;
  readonly predicted: Float64Array;
  readonly epochs: readonly EpochLog[];
  readonly metrics: ForecastMetrics;
  readonly validation: ValidationReport;
}

/**
 * Writes the run's plots (SVG, plus PNG when a renderer is installed), the validation report and
 * one self-contained HTML report into `dir`. Nothing in them depends on the time or the run id,
 * so the same inputs give byte-identical files.
 */
export async function writeForecastReport(dir: string, input: ForecastReportInput): Promise<void> {
  await mkdir(dir, { recursive: true });
  const forecast = { dates: input.dates, actual: input.actual, predicted: input.predicted };
  const charts: [string, string][] = [
    [
      'actual_vs_predicted',
      actualVsPredictedSvg({
        ...forecast,
        title: `${input.model}: actual vs predicted close (test rows)`,
      }),
    ],
    [
      'residuals',
      residualsSvg({ ...forecast, title: `${input.model}: residuals (actual - predicted)` }),
    ],
  ];
  if (input.epochs.length > 0) {
    charts.push([
      'learning_curves',
      learningCurvesSvg({ epochs: input.epochs, title: `${input.model}: learning curves` }),
    ]);
  }
  for (const [name, svg] of charts) {
    await writeFile(join(dir, `${name}.svg`), svg);
    const png = await svgToPng(svg);
    if (png.png) await writeFile(join(dir, `${name}.png`), png.png);
  }
  await writeFile(join(dir, 'validation.json'), JSON.stringify(input.validation, null, 2) + '\n');
  const sections: ReportSection[] = [
    {
      heading: 'Test metrics (price units)',
      table: {
        columns: ['metric', 'value'],
        rows: Object.entries(input.metrics).map(([k, v]) => [
          k,
          Number.isFinite(v) ? Number(v.toPrecision(6)) : String(v),
        ]),
      },
    },
    ...charts.map(([name, svg]) => ({ heading: name.replaceAll('_', ' '), svg })),
    {
      heading: 'Data contract',
      text: `${input.validation.rows} rows, ${input.validation.firstDate ?? '?'} .. ${input.validation.lastDate ?? '?'}: ${input.validation.errors.length} errors, ${input.validation.warnings.length} warnings.`,
    },
  ];
  await writeFile(
    join(dir, 'report.html'),
    htmlReport({ title: `Forecast report: ${input.model}`, sections }),
  );
}
