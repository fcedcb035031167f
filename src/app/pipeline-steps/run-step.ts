import { resolve } from 'node:path';
import { invalidParam } from '../../core/index.js';
import type { StepRegistry } from '../../pipeline/index.js';
import { findWorkspace } from '../workspace.js';

export interface RunStepJob {
  /** The step's registered name (`forecast/train`). */
  readonly name: string;
  /** The stage it runs for (`train@lstm`), for messages. */
  readonly stage: string;
  /** `with:` as JSON text (as the scheduler passes it) or as a value. */
  readonly with: string | Readonly<Record<string, unknown>>;
  /** The stage's working directory; default process.cwd(). */
  readonly cwd?: string;
  /** The stage's tracking run; default MLOPS_RUN_ID. */
  readonly runId?: string;
  /** Where the step's progress lines go (the stage log). */
  readonly log: (line: string) => void;
}

/**
 * `mlops step run`: what a `uses:` stage executes in its own process. Validates `with` as the
 * pipeline loader did, then runs the step in `cwd`, inside the workspace that holds it.
 * Errors propagate as thrown (`MlopsError` codes become the exit code).
 */
export async function runStepJob(steps: StepRegistry, job: RunStepJob): Promise<void> {
  const step = steps.get(job.name);
  const args = typeof job.with === 'string' ? parseWith(job.with) : job.with;
  step.validate(args);
  const cwd = resolve(job.cwd ?? process.cwd());
  const runId = job.runId ?? (process.env['MLOPS_RUN_ID'] || undefined);
  await step.run({
    with: args,
    stage: job.stage,
    root: findWorkspace(cwd).root,
    cwd,
    ...(runId === undefined ? {} : { runId }),
    log: job.log,
  });
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
      `--with must be a JSON object of step arguments, e.g. '{"data": "prices.csv"}'.`,
    );
  }
  return value as Record<string, unknown>;
}
