import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { MlopsError, invalidParam } from '../../core/index.js';
import type { PipelineStep, StepContext } from '../../pipeline/index.js';
import { parseGateConfig, validateModelName, type GateRecord } from '../../registry/index.js';
import { logToStageRun } from './stage-run.js';
import { parseStepArgs, type ArgumentHelp } from './step-args.js';
import { stableJson, writeFileWhole } from './step-files.js';

const NAME = 'models/register';
const MODEL_LABEL = /^[A-Za-z0-9_.-]+$/;
/** The experiment `mlops repro` tracks into by default, for a step run by hand. */
const PIPELINE_EXPERIMENT = 'pipeline';

const HELP: ArgumentHelp = {
  name: 'the registered model to add the versions to (created when missing)',
  data: 'the latest daily price CSV (a path): the gate compares the models on its newest rows',
  models:
    'the trained model directories: a mapping {label: dir} or a list of dirs, each written by a forecast/train stage',
  gate: 'the gate settings, a mapping {metric, min_improvement, min_rows, alias} (usually ${gate} from params.yaml)',
  decision: 'where to write the decision (a .json path)',
};

const dir = z.string({ error: 'a directory (a path)' }).min(1, { error: 'a directory (a path)' });
const schema = z.strictObject({
  name: z.string().min(1),
  data: z.string().min(1),
  models: z.union([
    z
      .record(z.string().regex(MODEL_LABEL, { error: 'use letters, digits, _ . - only' }), dir)
      .refine((m) => Object.keys(m).length > 0, 'at least one model'),
    z.array(dir).min(1),
  ]),
  gate: z.record(z.string(), z.unknown()).nullable().optional(),
  decision: z.string().regex(/\.json$/i, 'a path ending in .json'),
});

export type ModelsRegisterArgs = z.output<typeof schema>;

function parse(args: unknown): ModelsRegisterArgs {
  const parsed = parseStepArgs(NAME, schema, HELP, args);
  withArgument('name', () => validateModelName(parsed.name));
  withArgument('gate', () => parseGateConfig(parsed.gate ?? undefined, "argument 'gate'"));
  return parsed;
}

/** Runs a check; its error names the step argument it is about (for mlops.yaml's line). */
function withArgument(argument: string, check: () => unknown): void {
  try {
    check();
  } catch (err) {
    if (!MlopsError.is(err)) throw err;
    const message = err.message.includes(`argument '${argument}'`)
      ? err.message
      : `argument '${argument}': ${err.message}`;
    throw new MlopsError(err.code, message, {
      cause: err,
      details: { ...err.details, argument, step: NAME },
    });
  }
}

/**
 * `models/register`: registers every trained model directory as a version of `name` (from the
 * stage run that trained it, so the package names its run, data version and row ranges; a run
 * registered before is not registered twice), then runs the promotion gate on them with the
 * alias holder and persistence, on the newest rows of `data` that none of them trained on. The
 * decision is recorded on the versions, printed, and written to `decision` (no time or run ids:
 * it is a pipeline out).
 */
export const modelsRegisterStep: PipelineStep = {
  name: NAME,
  description: 'Register trained models and run the promotion gate (alias moves only on merit)',
  validate: (args) => {
    modelDirs(parse(args));
  },
  run: (ctx: StepContext) => registerAndPromote(ctx, parse(ctx.with)),
};

function modelDirs(args: ModelsRegisterArgs): [string, string][] {
  if (!Array.isArray(args.models)) return Object.entries(args.models);
  const seen = new Set<string>();
  return args.models.map((d) => {
    const label = basename(d.replace(/\/+$/, ''));
    if (!MODEL_LABEL.test(label) || seen.has(label)) {
      throw invalidParam(
        `argument 'models': '${d}' gives ${seen.has(label) ? 'a second model named' : 'the unusable label'} '${label}'; label the models with a mapping {label: dir}.`,
        { argument: 'models', step: NAME },
      );
    }
    seen.add(label);
    return [label, d];
  });
}

async function registerAndPromote(ctx: StepContext, args: ModelsRegisterArgs): Promise<void> {
  const { connect, openRegistry } = await import('../connect.js');
  const { registerModel } = await import('../models/register-model.js');
  const { promote } = await import('../promotion/index.js');
  const { trainingRunOf, versionFromRun } = await import('./models-register-step-runs.js');
  const client = await connect(undefined, { cwd: ctx.root });
  let record: GateRecord;
  try {
    const registry = await openRegistry(client);
    const models = { client, registry, cwd: ctx.cwd };
    const experimentId =
      ctx.runId === undefined
        ? (await client.findExperiment(PIPELINE_EXPERIMENT)).experimentId
        : (await client.getRun(ctx.runId)).info.experimentId;
    const versions: string[] = [];
    for (const [label, dir] of modelDirs(args)) {
      const runId = await trainingRunOf(client, experimentId, resolve(ctx.cwd, dir), dir);
      const known = await versionFromRun(registry, args.name, runId);
      const version =
        known ??
        (await registerModel(models, { source: `runs:/${runId}/model`, name: args.name })).version;
      ctx.log(
        `${label}: ${known ? 'already registered as' : 'registered as'} ${args.name} v${version.version} (runs:/${runId}/model)`,
      );
      versions.push(version.version);
    }
    const gate = parseGateConfig(args.gate ?? undefined, `argument 'gate'`);
    const result = await promote(models, {
      name: args.name,
      versions,
      gate,
      data: args.data,
      progress: ctx.log,
    });
    record = result.record;
    for (const line of result.lines) ctx.log(line);
  } finally {
    await client.close();
  }
  await writeFileWhole(resolve(ctx.cwd, args.decision), stableJson(decisionFile(record)));
  ctx.log(`wrote ${args.decision}; decision ${record.id} is recorded on the versions' tags`);
  await logToStageRun(ctx, {
    params: { name: args.name, alias: record.alias },
    tags: {
      'mlops.gate.id': record.id,
      'mlops.gate.outcome': record.outcome,
      ...(record.alias_after === null
        ? {}
        : { [`mlops.gate.${record.alias}`]: `models:/${record.model}/${record.alias_after}` }),
    },
  });
}

/** The record as the stage's out: what was decided and why, without time, id or run ids. */
function decisionFile(record: GateRecord): unknown {
  const { id: _id, decided_at: _at, versions, ...rest } = record;
  return { ...rest, versions: versions.map(({ run_id: _run, ...v }) => v) };
}
