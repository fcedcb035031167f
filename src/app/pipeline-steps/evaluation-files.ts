import { extname } from 'node:path';
import type { ForecastMetrics, LineSeries } from '../../forecast/index.js';
import type { forecastModule } from './preset-rows.js';
import { stableJson } from './step-files.js';

type ForecastModule = Awaited<ReturnType<typeof forecastModule>>;

/** One model's forecasts of the test rows and their scores. */
export interface ScoredModel {
  readonly name: string;
  readonly predicted: Float64Array;
  readonly metrics: ForecastMetrics;
}

export interface EvaluationInput {
  /** Dates of the test targets, one per value. */
  readonly dates: readonly string[];
  readonly actual: Float64Array;
  readonly previous: Float64Array;
  /** In the order the stage lists them. */
  readonly scored: readonly ScoredModel[];
}

export interface EvaluationFiles {
  /** metrics.json: per model, then `best`, with numbers as leaves. */
  readonly metrics: string;
  /** The content of a plot file, by its extension (.csv, .json, .svg). */
  plot(path: string): string;
  /** A small aligned table for the stage log. */
  readonly table: readonly string[];
  /** Name of the model with the lowest test RMSE (the first one on a tie). */
  readonly best: string;
}

/** Per-model metrics in this order; `n` and `persistence_rmse` are the same for all (top level). */
const METRIC_KEYS = [
  'rmse',
  'mae',
  'mape',
  'directional_accuracy',
  'directional_accuracy_ci_low',
  'directional_accuracy_ci_high',
  'skill',
  'change_std_ratio',
  'dm_statistic',
  'dm_p_value',
  'dm_hln_p_value',
] as const satisfies readonly (keyof ForecastMetrics)[];

const TABLE_KEYS = ['rmse', 'mae', 'mape', 'directional_accuracy', 'skill'] as const;

const COLORS: Readonly<Record<string, string>> = {
  persistence: '#7f7f7f',
  linear: '#2ca02c',
  lstm: '#d62728',
};
const PALETTE = ['#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];

/**
 * The evaluate step's files as text. Everything is a function of the forecasts alone (fixed
 * number formats, no time), so the same models and data give the same bytes.
 */
export function evaluationFiles(f: ForecastModule, input: EvaluationInput): EvaluationFiles {
  const { scored } = input;
  let best = scored[0];
  for (const s of scored) if (best === undefined || s.metrics.rmse < best.metrics.rmse) best = s;
  const first = scored[0]?.metrics;
  const tree: Record<string, unknown> = {
    test_rows: first?.n ?? 0,
    persistence_rmse: first?.persistence_rmse,
  };
  for (const s of scored) {
    tree[s.name] = Object.fromEntries(METRIC_KEYS.map((k) => [k, s.metrics[k]]));
  }
  if (best) tree['best'] = { model: best.name, rmse: best.metrics.rmse, skill: best.metrics.skill };
  const table = alignedTable([
    ['model', ...TABLE_KEYS],
    ...scored.map((s) => [s.name, ...TABLE_KEYS.map((k) => s.metrics[k].toPrecision(5))]),
  ]);
  return {
    metrics: stableJson(tree),
    plot: (path) => plotText(f, input, path),
    table,
    best: best?.name ?? '',
  };
}

function plotText(f: ForecastModule, input: EvaluationInput, path: string): string {
  const ext = extname(path).toLowerCase();
  const columns = ['date', 'actual', ...input.scored.map((s) => s.name)];
  const rows = input.dates.map((date, i) => [
    date,
    price(input.actual[i]),
    ...input.scored.map((s) => price(s.predicted[i])),
  ]);
  if (ext === '.csv') return [columns, ...rows].map((r) => r.join(',')).join('\n') + '\n';
  if (ext === '.json') {
    return stableJson(
      rows.map((r) => Object.fromEntries(r.map((v, i) => [columns[i], i === 0 ? v : Number(v)]))),
    );
  }
  const series: LineSeries[] = [
    { name: 'actual', values: input.actual, color: '#1f77b4' },
    ...input.scored.map((s, i) => ({
      name: s.name,
      values: s.predicted,
      color: COLORS[s.name] ?? PALETTE[i % PALETTE.length] ?? '#000000',
      dashed: true,
    })),
  ];
  return f.lineChartSvg({
    title: 'Next-day close on the test rows: actual and each model',
    x: input.dates.map((_, i) => i),
    xTickLabel: (i) => input.dates[i] ?? '',
    xLabel: 'date',
    yLabel: 'close',
    series,
    width: 1000,
    height: 450,
  });
}

/** Prices to 4 decimals (a hundredth of a cent), as the shortest text that reads back. */
function price(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value)
    ? ''
    : String(Math.round(value * 1e4) / 1e4);
}

function alignedTable(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
