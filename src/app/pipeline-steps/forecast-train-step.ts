import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { MlopsError } from '../../core/index.js';
import type { EpochLog, ForecasterManifest } from '../../forecast/index.js';
import type { PipelineStep, StepContext } from '../../pipeline/index.js';
import { SUMMARY_FILE, type ModelSummary } from './model-summary.js';
import {
  PIPELINE_PRESETS,
  forecastModule,
  forecasterPreset,
  loadPresetRows,
} from './preset-rows.js';
import { logToStageRun } from './stage-run.js';
import { parseStepArgs, type ArgumentHelp } from './step-args.js';
import { replaceDirectory, stableJson } from './step-files.js';

const NAME = 'forecast/train';
const MODELS = ['persistence', 'linear', 'lstm'] as const;

const HELP: ArgumentHelp = {
  data: 'the daily price CSV to train on (a path)',
  model: `one of ${MODELS.join(', ')}`,
  preset: `one of ${PIPELINE_PRESETS.join(', ')} (default full; quick = the most recent 1,500 rows)`,
  out: 'the directory to write the trained model into (a path)',
  params:
    'a mapping of model params, e.g. {epochs: 30, seed: 42} (see mlops forecast train --help)',
};

const scalar = z.union([z.string(), z.number(), z.boolean()], {
  error: 'a string, number or boolean',
});
const schema = z.strictObject({
  data: z.string().min(1),
  model: z.enum(MODELS),
  preset: z.enum(PIPELINE_PRESETS).default('full'),
  out: z.string().min(1),
  params: z.record(z.string(), scalar).nullable().optional(),
});

export type ForecastTrainArgs = z.output<typeof schema>;

const parse = (args: unknown) => parseStepArgs(NAME, schema, HELP, args);

/**
 * `forecast/train`: fits one forecaster on the training rows of the evaluation protocol
 * (DESIGN.md §7; it never fits on the test rows) and writes into `out`: the model as
 * `loadForecaster` reads it (forecaster.json, plus model.json and weights.bin for the LSTM),
 * `model.onnx` (one graph from the raw window to the next close), `scaler.json` (the fitted
 * transform) and `summary.json` (data version, split, validation metrics). Training is
 * deterministic for one seed, so the same inputs give byte-identical files. With a stage run
 * (`MLOPS_RUN_ID`) it logs params, losses per epoch, validation metrics and the model there.
 */
export const forecastTrainStep: PipelineStep = {
  name: NAME,
  description:
    'Train one forecaster (persistence, linear, lstm) on the training rows; write it to out',
  validate: (args) => void parse(args),
  run: (ctx: StepContext) => trainModel(ctx, parse(ctx.with)),
};

async function trainModel(ctx: StepContext, args: ForecastTrainArgs): Promise<void> {
  const f = await forecastModule();
  const forecaster = withArgument('params', () =>
    f.createForecaster(args.model, args.params ?? {}, forecasterPreset(args.preset)),
  );
  try {
    const data = resolve(ctx.cwd, args.data);
    const dataset = await loadPresetRows(data, args.preset, forecaster.windowSize);
    const { closes, dates } = dataset;
    const split = f.protocolSplit(closes.length, forecaster.windowSize);
    const ranges = f.splitRanges(split, dates, forecaster.windowSize);
    ctx.log(
      `${args.model}: ${closes.length} rows of ${args.data} (preset ${args.preset}); training targets ${ranges.train.firstDate}..${ranges.train.lastDate}; test rows from ${ranges.test.firstDate} are left out`,
    );
    const epochs: EpochLog[] = [];
    await forecaster.fit(
      { closes, split },
      {
        onEpoch: (e) => {
          epochs.push(e);
          ctx.log(epochLine(args.model, e));
        },
      },
    );
    const validation = f.splitWindows(closes, split, 'validation', forecaster.windowSize);
    const metrics = f.forecastMetrics({
      actual: validation.targets,
      predicted: await forecaster.predict(validation.windows),
      previous: Float64Array.from(validation.windows, (w) => w[w.length - 1] ?? Number.NaN),
    });
    const out = resolve(ctx.cwd, args.out);
    await replaceDirectory(out, async (dir) => {
      await forecaster.save(dir);
      await writeFile(join(dir, 'model.onnx'), await forecaster.exportOnnx());
      const manifest = JSON.parse(
        await readFile(join(dir, f.MANIFEST_FILE), 'utf8'),
      ) as ForecasterManifest;
      if (manifest.transform) {
        await writeFile(join(dir, 'scaler.json'), stableJson(manifest.transform));
      }
      const summary: ModelSummary = {
        model: args.model,
        preset: args.preset,
        data: { path: args.data, sha256: dataset.csv.sha256, rows: closes.length },
        params: forecaster.params,
        ranges,
        validation: { ...metrics },
        ...bestEpoch(manifest),
      };
      await writeFile(join(dir, SUMMARY_FILE), stableJson(summary));
    });
    ctx.log(
      `${args.model}: validation rmse ${metrics.rmse.toFixed(4)} (persistence ${metrics.persistence_rmse.toFixed(4)}), skill ${metrics.skill.toFixed(5)}; wrote ${args.out}`,
    );
    await logToStageRun(ctx, {
      params: { model: args.model, preset: args.preset, rows: closes.length, ...forecaster.params },
      tags: {
        model: args.model,
        'data.sha256': dataset.csv.sha256,
        'data.train_range': `${ranges.train.firstDate}..${ranges.train.lastDate}`,
        'data.test_range': `${ranges.test.firstDate}..${ranges.test.lastDate}`,
        ...(forecaster.backend ? { backend: forecaster.backend } : {}),
      },
      metrics: [
        ...epochs.flatMap((e) => [
          { key: 'loss', value: e.loss, step: e.epoch },
          ...(e.valLoss === undefined
            ? []
            : [{ key: 'val_loss', value: e.valLoss, step: e.epoch }]),
        ]),
        ...Object.entries(metrics).map(([key, value]) => ({ key: `validation.${key}`, value })),
      ],
      artifacts: { model: out },
    });
  } finally {
    // The LSTM holds tfjs tensors; the others have nothing to free.
    (forecaster as { dispose?: () => void }).dispose?.();
  }
}

function epochLine(model: string, e: EpochLog): string {
  const val = e.valLoss === undefined ? '' : ` val_loss ${e.valLoss.toFixed(6)}`;
  return `${model} epoch ${e.epoch}: loss ${e.loss.toFixed(6)}${val}`;
}

/** The LSTM's training record as `{epochs: {trained, best}}`; nothing for the other models. */
function bestEpoch(manifest: ForecasterManifest): Pick<ModelSummary, 'epochs'> {
  type Training = { history?: unknown[]; bestEpoch?: number };
  const training = (manifest.state as { training?: Training } | undefined)?.training;
  if (!training || !Array.isArray(training.history) || typeof training.bestEpoch !== 'number') {
    return {};
  }
  return { epochs: { trained: training.history.length, best: training.bestEpoch } };
}

/** Runs `fn`; an invalid-parameter error names the step argument it came from. */
function withArgument<T>(argument: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (MlopsError.is(err) && err.code === 'INVALID_PARAMETER_VALUE') {
      throw new MlopsError('INVALID_PARAMETER_VALUE', `argument '${argument}': ${err.message}`, {
        cause: err,
        details: { ...err.details, argument, step: NAME },
      });
    }
    throw err;
  }
}
