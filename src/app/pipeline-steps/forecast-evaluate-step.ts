import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { invalidParam } from '../../core/index.js';
import type { Forecaster } from '../../forecast/index.js';
import type { PipelineStep, StepContext } from '../../pipeline/index.js';
import { evaluationFiles, type ScoredModel } from './evaluation-files.js';
import { readModelSummary, type ModelSummary } from './model-summary.js';
import { PIPELINE_PRESETS, forecastModule, loadPresetRows } from './preset-rows.js';
import { logToStageRun } from './stage-run.js';
import { parseStepArgs, type ArgumentHelp } from './step-args.js';
import { writeFileWhole } from './step-files.js';

const NAME = 'forecast/evaluate';
const MODEL_NAME = /^[A-Za-z0-9_.-]+$/;
const PLOT_FILE = /\.(csv|json|svg)$/i;

const HELP: ArgumentHelp = {
  data: 'the daily price CSV the models were trained on (a path)',
  preset: `one of ${PIPELINE_PRESETS.join(', ')}, as the models were trained with (default full)`,
  models:
    'the trained model directories: a mapping {name: dir} or a list of dirs (named by their folder); names use letters, digits, _ . -',
  metrics: 'where to write the metrics (a .json path)',
  plots:
    'where to write the predictions: a path or a list of paths ending in .csv or .json (a table: date, actual, one column per model) or .svg (a chart)',
};

const dir = z.string({ error: 'a directory (a path)' }).min(1, { error: 'a directory (a path)' });
const plotFile = z
  .string({ error: 'a path ending in .csv, .json or .svg' })
  .regex(PLOT_FILE, { error: 'a path ending in .csv, .json or .svg' });
const schema = z.strictObject({
  data: z.string().min(1),
  preset: z.enum(PIPELINE_PRESETS).default('full'),
  models: z.union([
    z
      .record(z.string().regex(MODEL_NAME, { error: 'use letters, digits, _ . - only' }), dir)
      .refine((m) => Object.keys(m).length > 0, 'at least one model'),
    z.array(dir).min(1),
  ]),
  metrics: z.string().regex(/\.json$/i, 'a path ending in .json'),
  plots: z.union([plotFile, z.array(plotFile)]).optional(),
});

export type ForecastEvaluateArgs = z.output<typeof schema>;

const parse = (args: unknown) => parseStepArgs(NAME, schema, HELP, args);

/**
 * `forecast/evaluate`: loads every trained model and scores them all on the same test rows of
 * the evaluation protocol (DESIGN.md §7: RMSE, MAE, MAPE, directional accuracy, skill against
 * persistence, Diebold-Mariano), then writes `metrics` ({<model>: {rmse, ...}, best: {...}},
 * numbers only, for `mlops metrics diff`) and the `plots` (the predictions as a table and/or a
 * chart). A model whose summary says it was fitted on some of these test rows is refused.
 */
export const forecastEvaluateStep: PipelineStep = {
  name: NAME,
  description: 'Score trained forecasters on the same test rows; write metrics.json and plots',
  validate: (args) => {
    modelDirs(parse(args));
  },
  run: (ctx: StepContext) => evaluateModels(ctx, parse(ctx.with)),
};

/** `models` as name -> dir, in the order given. */
function modelDirs(args: ForecastEvaluateArgs): [string, string][] {
  if (!Array.isArray(args.models)) return Object.entries(args.models);
  const seen = new Set<string>();
  return args.models.map((d) => {
    const name = basename(d.replace(/\/+$/, ''));
    if (!MODEL_NAME.test(name) || seen.has(name)) {
      throw invalidParam(
        `argument 'models': '${d}' gives ${seen.has(name) ? 'a second model named' : 'the unusable model name'} '${name}'; name the models with a mapping {name: dir}.`,
        { argument: 'models', step: NAME },
      );
    }
    seen.add(name);
    return [name, d];
  });
}

async function evaluateModels(ctx: StepContext, args: ForecastEvaluateArgs): Promise<void> {
  const f = await forecastModule();
  const loaded: { name: string; dir: string; model: Forecaster; summary?: ModelSummary }[] = [];
  try {
    for (const [name, dir] of modelDirs(args)) {
      const full = resolve(ctx.cwd, dir);
      const summary = await readModelSummary(full);
      loaded.push({
        name,
        dir,
        model: await f.loadForecaster(full),
        ...(summary ? { summary } : {}),
      });
    }
    const window = Math.max(...loaded.map((m) => m.model.windowSize));
    const dataset = await loadPresetRows(resolve(ctx.cwd, args.data), args.preset, window);
    const { closes, dates } = dataset;
    // One split for all: the window of the longest model, so every model has the same targets.
    const split = f.protocolSplit(closes.length, window);
    const scored: ScoredModel[] = [];
    let actual: Float64Array = new Float64Array();
    let previous: Float64Array = new Float64Array();
    let testDates: readonly string[] = [];
    for (const { name, dir, model, summary } of loaded) {
      const test = f.splitWindows(closes, split, 'test', model.windowSize);
      testDates = dates.slice(test.firstTarget, test.firstTarget + test.targets.length);
      checkUnseen(name, dir, summary, testDates[0] ?? '', args.preset);
      actual = test.targets;
      previous = Float64Array.from(test.windows, (w) => w[w.length - 1] ?? Number.NaN);
      const predicted = await model.predict(test.windows);
      scored.push({ name, predicted, metrics: f.forecastMetrics({ actual, predicted, previous }) });
    }
    const files = evaluationFiles(f, { dates: testDates, actual, previous, scored });
    await writeFileWhole(resolve(ctx.cwd, args.metrics), files.metrics);
    const plots = args.plots === undefined ? [] : [args.plots].flat();
    for (const plot of plots) await writeFileWhole(resolve(ctx.cwd, plot), files.plot(plot));
    ctx.log(
      `${testDates.length} test rows ${testDates[0] ?? ''}..${testDates[testDates.length - 1] ?? ''} (preset ${args.preset}) of ${args.data}`,
    );
    for (const line of files.table) ctx.log(line);
    ctx.log(`best: ${files.best}; wrote ${[args.metrics, ...plots].join(', ')}`);
    await logToStageRun(ctx, {
      params: { models: loaded.map((m) => m.name).join(','), preset: args.preset },
      tags: { best_model: files.best, 'data.sha256': dataset.csv.sha256 },
    });
  } finally {
    for (const { model } of loaded) (model as { dispose?: () => void }).dispose?.();
  }
}

/** Refuses a model that was fitted on rows on or after the first test date used here. */
function checkUnseen(
  name: string,
  dir: string,
  summary: ModelSummary | undefined,
  firstTest: string,
  preset: string,
): void {
  const unseenFrom = summary?.ranges.test.firstDate;
  if (unseenFrom === undefined || firstTest >= unseenFrom) return;
  throw invalidParam(
    `Model '${name}' (${dir}) was fitted on rows up to the day before ${unseenFrom}, but the test rows here start at ${firstTest}: scoring it there would use rows it was trained on. Evaluate with the data and preset it was trained with (preset here: ${preset}, at training: ${summary?.preset ?? '?'}), or retrain it (\`mlops repro\`).`,
    { argument: 'models', step: NAME, model: name },
  );
}
