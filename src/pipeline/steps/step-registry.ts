import { MlopsError } from '../../core/index.js';

/** What a built-in step gets when it runs (in its own process, in the stage's working directory). */
export interface StepContext {
  /** The stage's `with:` arguments (templates resolved). */
  readonly with: Readonly<Record<string, unknown>>;
  /** The stage name (`train@lstm`). */
  readonly stage: string;
  /** Workspace root (absolute) and the stage's working directory (absolute). */
  readonly root: string;
  readonly cwd: string;
  /** The tracking run of this stage execution, when the pipeline is tracked. */
  readonly runId?: string;
  /** Progress and log lines (captured into the stage log). */
  readonly log: (line: string) => void;
}

/** A built-in pipeline step (`uses: forecast/train`). */
export interface PipelineStep {
  readonly name: string;
  readonly description: string;
  /**
   * Checks `with:` before anything runs (e.g. with zod); throws `INVALID_PARAMETER_VALUE`
   * naming the argument. `mlops.yaml` validation calls it for every stage that uses the step.
   */
  readonly validate: (args: Readonly<Record<string, unknown>>) => void;
  readonly run: (ctx: StepContext) => Promise<void>;
}

/**
 * The built-in steps by name. The pipeline module knows none of them: the application layer
 * registers `forecast/*` (and later `models/register`).
 */
export class StepRegistry {
  readonly #steps = new Map<string, PipelineStep>();

  register(step: PipelineStep): this {
    if (this.#steps.has(step.name)) {
      throw new MlopsError('RESOURCE_ALREADY_EXISTS', `Step '${step.name}' is registered twice.`);
    }
    this.#steps.set(step.name, step);
    return this;
  }

  has(name: string): boolean {
    return this.#steps.has(name);
  }

  names(): string[] {
    return [...this.#steps.keys()].sort();
  }

  get(name: string): PipelineStep {
    const step = this.#steps.get(name);
    if (step) return step;
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `Unknown step '${name}': known steps are ${this.names().join(', ') || '(none)'}.`,
      { details: { step: name } },
    );
  }
}
