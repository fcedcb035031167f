import { resolve } from 'node:path';
import { MlopsError, invalidParam } from '../../core/index.js';
import type { PipelineStep } from '../../pipeline/index.js';
import { findWorkspace } from '../workspace.js';

// The steps (zod, and the forecasting module when one runs) load only when a step command runs,
// so that importing the app layer stays light. Not through the registry: a step process has no
// use for the pipeline module (scheduler, executors, queue client), which takes long to load.
const steps = async () => (await import('./builtin-step-list.js')).BUILTIN_STEPS;

async function findStep(name: string): Promise<PipelineStep> {
  const all = await steps();
  const step = all.find((s) => s.name === name);
  if (step) return step;
  throw new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `Unknown step '${name}': known steps are ${all.map((s) => s.name).join(', ')} (\`mlops step list\`).`,
    { details: { step: name } },
  );
}

export interface RunStepJob {
  /** The step's registered name (`forecast/train`). */
  readonly name: string;
  /** The stage it runs for (`train@lstm`). */
  readonly stage: string;
  /** `with:` as JSON text (as the scheduler passes it) or as a value. */
  readonly with: string | Readonly<Record<string, unknown>>;
  /** The stage's working directory; default process.cwd(). */
  readonly cwd?: string;
  /** The stage's tracking run; default MLOPS_RUN_ID; '' for none. */
  readonly runId?: string;
  /** Where the step's progress lines go (the stage log). */
  readonly log: (line: string) => void;
}

export interface StepInfo {
  readonly name: string;
  readonly description: string;
}

/**
 * `mlops step run`: what a `uses:` stage executes, in its own process. Validates `with` as the
 * pipeline loader did, then runs the step in `cwd`, inside the workspace that holds it. Errors
 * propagate as thrown (an `MlopsError`'s code becomes the exit code).
 */
export async function runStep(job: RunStepJob): Promise<void> {
  const step = await findStep(job.name);
  const args = typeof job.with === 'string' ? parseWith(job.with) : job.with;
  step.validate(args);
  const cwd = resolve(job.cwd ?? process.cwd());
  const runId = (job.runId ?? process.env['MLOPS_RUN_ID']) || undefined;
  await step.run({
    with: args,
    stage: job.stage,
    root: findWorkspace(cwd).root,
    cwd,
    ...(runId === undefined ? {} : { runId }),
    log: job.log,
  });
}

/** `mlops step list`: every built-in step, by name. */
export async function listSteps(): Promise<StepInfo[]> {
  return [...(await steps())]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ name, description }) => ({ name, description }));
}

function parseWith(text: string): Readonly<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidParam(`--with must be a JSON object of step arguments: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParam(
      `--with must be a JSON object of step arguments, e.g. '{"data": "data/prices.csv"}'.`,
    );
  }
  return value as Record<string, unknown>;
}
