import type { LoadedDataset } from '../../forecast/index.js';
import { QUICK_PRESET_ROWS } from '../forecast-jobs.js';

/** `full`: every row of the prices file; `quick`: the most recent 1,500 (DESIGN.md §8). */
export const PIPELINE_PRESETS = ['full', 'quick'] as const;
export type PipelinePreset = (typeof PIPELINE_PRESETS)[number];

// The forecasting module (and tfjs behind it) loads only when a step runs, never when
// mlops.yaml is validated.
export const forecastModule = () => import('../../forecast/index.js');

/**
 * The prices a preset uses, held to the data contract for `windowSize` (a broken file stops the
 * step with `DATA_CONTRACT_FAILED`). Train and evaluate both read their rows here, so that the
 * protocol split, and with it the test rows, is the same in both.
 */
export async function loadPresetRows(
  path: string,
  preset: PipelinePreset,
  windowSize: number,
): Promise<LoadedDataset> {
  const f = await forecastModule();
  return f.loadDataset(path, {
    windowSize,
    ...(preset === 'quick' ? { lastRows: QUICK_PRESET_ROWS } : {}),
  });
}

/** The forecasting module's preset for a pipeline preset (`full` is the defaults). */
export function forecasterPreset(preset: PipelinePreset): 'quick' | undefined {
  return preset === 'quick' ? 'quick' : undefined;
}
