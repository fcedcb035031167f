import type { PipelineStep } from '../../pipeline/index.js';
import { forecastEvaluateStep } from './forecast-evaluate-step.js';
import { forecastTrainStep } from './forecast-train-step.js';
import { forecastValidateStep } from './forecast-validate-step.js';
import { modelsRegisterStep } from './models-register-step.js';

/**
 * Every built-in step. A plain list (the pipeline module only as types), so that a step process
 * (`mlops step run`) loads the step it runs and not the scheduler, executors and queue client.
 */
export const BUILTIN_STEPS: readonly PipelineStep[] = [
  forecastValidateStep,
  forecastTrainStep,
  forecastEvaluateStep,
  modelsRegisterStep,
];
