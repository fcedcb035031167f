import { invalidParam } from '../core/index.js';
import {
  FORECASTER_PRESETS,
  MODEL_KINDS,
  isModelKind,
  type ForecasterPreset,
  type ModelKind,
} from './models/index.js';

/** `--model` as a model kind, or an error listing the known ones. */
export function parseModelKind(value: string): ModelKind {
  if (!isModelKind(value)) {
    throw invalidParam(`Unknown model '${value}'; expected one of ${MODEL_KINDS.join(', ')}.`);
  }
  return value;
}

/** `--preset` as a preset name, or an error listing the known ones. */
export function parsePreset(value: string): ForecasterPreset {
  if (!(FORECASTER_PRESETS as readonly string[]).includes(value)) {
    throw invalidParam(
      `Unknown preset '${value}'; expected one of ${FORECASTER_PRESETS.join(', ')}.`,
    );
  }
  return value as ForecasterPreset;
}
