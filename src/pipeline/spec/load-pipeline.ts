import { MlopsError } from '../../core/index.js';
import type { StepLookup } from './build-stage.js';
import { parsePipeline } from './parse-pipeline.js';
import { PIPELINE_FILE, type PipelineSpec } from './pipeline-spec.js';
import { diskProbe } from './workspace-probe.js';

export interface LoadPipelineOptions {
  /** The built-in steps `uses:` may name (checked with their `validate`). */
  readonly steps?: StepLookup;
}

/**
 * Reads and validates `<root>/mlops.yaml` (see `parsePipeline`). No file is
 * `RESOURCE_DOES_NOT_EXIST`, saying how to create one.
 */
export async function loadPipeline(
  root: string,
  options: LoadPipelineOptions = {},
): Promise<PipelineSpec> {
  const probe = diskProbe(root);
  const text = await probe.readText(PIPELINE_FILE);
  if (text === undefined) {
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `No ${PIPELINE_FILE} in ${root}: create one with a stages: section, or start from the example with \`mlops init --example stock-forecast\`.`,
      { details: { file: PIPELINE_FILE, root } },
    );
  }
  return parsePipeline({
    ...probe,
    root,
    text,
    ...(options.steps ? { steps: options.steps } : {}),
  });
}
