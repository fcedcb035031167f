/**
 * @module app/pipeline-steps: the built-in pipeline steps (`uses:` in mlops.yaml) that the
 * application layer registers, since the pipeline module knows no forecasting.
 */
import { StepRegistry } from '../../pipeline/index.js';
import { BUILTIN_STEPS } from './builtin-step-list.js';

/**
 * A registry of every built-in step: `forecast/validate`, `forecast/train`, `forecast/evaluate`,
 * `models/register`.
 */
export function builtinSteps(): StepRegistry {
  const registry = new StepRegistry();
  for (const step of BUILTIN_STEPS) registry.register(step);
  return registry;
}

export { BUILTIN_STEPS } from './builtin-step-list.js';
export { forecastValidateStep, type ForecastValidateArgs } from './forecast-validate-step.js';
export { forecastTrainStep, type ForecastTrainArgs } from './forecast-train-step.js';
export { forecastEvaluateStep, type ForecastEvaluateArgs } from './forecast-evaluate-step.js';
export { modelsRegisterStep, type ModelsRegisterArgs } from './models-register-step.js';
export { SUMMARY_FILE, type ModelSummary } from './model-summary.js';
export { PIPELINE_PRESETS, type PipelinePreset } from './preset-rows.js';
