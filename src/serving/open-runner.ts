import { invalidParam } from '../core/index.js';
import { FunctionRunner } from './function-runner.js';
import type { LoadedModel } from './loaded-model.js';
import type { ModelRunner } from './model-runner.js';
import { OnnxRunner } from './onnx-runner.js';

export interface OpenRunnerOptions {
  /** ONNX Runtime threads per prediction (default 1). */
  readonly intraOpThreads?: number;
}

/** The runner for a loaded model: ONNX Runtime when the package has an ONNX flavor, else its fallback. */
export async function openRunner(
  model: LoadedModel,
  options: OpenRunnerOptions = {},
): Promise<ModelRunner> {
  const label = `Model '${model.name}' version ${model.version}`;
  if (!Number.isInteger(model.window) || model.window < 1) {
    throw invalidParam(`${label}: window must be a whole number >= 1, got ${model.window}.`);
  }
  if (model.onnx) {
    return OnnxRunner.open(model.onnx, {
      inputName: model.inputName,
      outputName: model.outputName,
      window: model.window,
      ...(options.intraOpThreads === undefined ? {} : { intraOpThreads: options.intraOpThreads }),
    });
  }
  if (model.fallback) return new FunctionRunner(model.window, model.fallback, model.dispose);
  throw invalidParam(
    `${label} has neither an ONNX flavor nor a fallback predict function; register it with an onnx or tfjs flavor.`,
  );
}
