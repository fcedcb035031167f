import { invalidParam } from '../../core/index.js';
import type { ModelKind } from './forecaster.js';
import { parseParams, type EnumSpec, type ParsedParams, type RawParams } from './param-spec.js';
import type { WindowTransform } from './window-transform.js';

const TARGET: EnumSpec<WindowTransform['kind']> = {
  type: 'enum',
  values: ['log_return', 'close_minmax'],
  default: 'log_return',
};

/**
 * Params and defaults per model. The linear and LSTM defaults (window, alpha, units, layers,
 * target) are chosen by the selection study on the validation rows (`npm run study -- lstm`,
 * `npm run study -- linear`; docs/model-selection.md); they train in well under a minute on
 * ~1000 windows.
 */
export const PARAM_SPECS = {
  persistence: {
    window: { type: 'int', min: 1, max: 1000, default: 30 },
  },
  linear: {
    window: { type: 'int', min: 2, max: 1000, default: 20 },
    alpha: { type: 'float', min: 0, max: 1e9, default: 1000 },
    target: TARGET,
  },
  lstm: {
    window: { type: 'int', min: 2, max: 1000, default: 60 },
    units: { type: 'int', min: 1, max: 1024, default: 16 },
    layers: { type: 'int', min: 1, max: 8, default: 1 },
    dropout: { type: 'float', min: 0, max: 1, maxExclusive: true, default: 0.1 },
    learningRate: { type: 'float', min: 0, max: 1, minExclusive: true, default: 1e-3 },
    batchSize: { type: 'int', min: 1, max: 65536, default: 32 },
    epochs: { type: 'int', min: 1, max: 10000, default: 30 },
    patience: { type: 'int', min: 1, max: 10000, default: 5 },
    seed: { type: 'int', min: 0, max: 4294967295, default: 42 },
    target: TARGET,
  },
} as const;

export type PersistenceParams = ParsedParams<(typeof PARAM_SPECS)['persistence']>;
export type RidgeParams = ParsedParams<(typeof PARAM_SPECS)['linear']>;
export type LstmParams = ParsedParams<(typeof PARAM_SPECS)['lstm']>;
export interface ParamsByKind {
  persistence: PersistenceParams;
  linear: RidgeParams;
  lstm: LstmParams;
}

export type ForecasterPreset = 'quick';
export const FORECASTER_PRESETS: readonly ForecasterPreset[] = ['quick'];

/** Presets override the defaults; params given explicitly override the preset. */
const PRESETS: Record<ForecasterPreset, Record<ModelKind, RawParams>> = {
  // Few epochs for `mlops quickstart` (the forecast part must finish within minutes).
  quick: { persistence: {}, linear: {}, lstm: { epochs: 8, patience: 3 } },
};

export const MODEL_KINDS: readonly ModelKind[] = ['persistence', 'linear', 'lstm'];

export function isModelKind(value: string): value is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(value);
}

/** Defaults, then the preset, then `raw`; validated (errors name the param and its range). */
export function resolveParams<K extends ModelKind>(
  kind: K,
  raw: RawParams = {},
  preset?: ForecasterPreset,
): ParamsByKind[K] {
  if (!isModelKind(kind)) {
    throw invalidParam(`Unknown model '${String(kind)}'; known models: ${MODEL_KINDS.join(', ')}.`);
  }
  if (preset !== undefined && !FORECASTER_PRESETS.includes(preset)) {
    throw invalidParam(
      `Unknown preset '${String(preset)}'; known presets: ${FORECASTER_PRESETS.join(', ')}.`,
    );
  }
  const layers = preset === undefined ? [raw] : [PRESETS[preset][kind], raw];
  return parseParams(kind, PARAM_SPECS[kind], ...layers) as unknown as ParamsByKind[K];
}
