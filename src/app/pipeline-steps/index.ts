/**
 * @module app/pipeline-steps: the built-in pipeline steps (`uses:` in mlops.yaml) that the
 * application layer registers, since the pipeline module knows no forecasting.
 */
import { StepRegistry } from '../../pipeline/index.js';
import { forecastEvaluateStep } from './forecast-evaluate-step.js';
import { forecastTrainStep } from './forecast-train-step.js';
import { forecastValidateStep } from './forecast-validate-step.js';

/** A registry of every built-in step: `forecast/validate`, `forecast/train`, `forecast/evaluate`. */
export function builtinSteps(): StepRegistry {
  return new StepRegistry()
    .register(forecastValidateStep)
    .register(forecastTrainStep)
    .register(forecastEvaluateStep);
}

export { runStepJob, type RunStepJob } from './run-step.js';
export { forecastValidateStep, type ForecastValidateArgs } from './forecast-validate-step.js';
export { forecastTrainStep, type ForecastTrainArgs } from './forecast-train-step.js';
export { forecastEvaluateStep, type ForecastEvaluateArgs } from './forecast-evaluate-step.js';
export { SUMMARY_FILE, type ModelSummary } from './model-summary.js';
export { PIPELINE_PRESETS, type PipelinePreset } from './preset-rows.js';
