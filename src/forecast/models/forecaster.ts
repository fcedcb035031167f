import type { ProtocolSplit } from '../features/split.js';
import type { TfBackend } from './load-tensorflow.js';

export type ModelKind = 'persistence' | 'linear' | 'lstm';

/** What a model is fitted on: the closes of the whole series and the protocol split over them. */
export interface FitInput {
  readonly closes: Float64Array;
  readonly split: ProtocolSplit;
}

export interface EpochLog {
  /** 1 for the first pass over the training windows. */
  readonly epoch: number;
  readonly loss: number;
  readonly valLoss?: number;
}

export interface FitHooks {
  onEpoch?(log: EpochLog): void;
}

/**
 * A one-step-ahead forecaster of the next close. Every model takes raw windows of closes (price
 * units, oldest first, `windowSize` long) and returns the next close in price units; scaling and
 * target transforms live inside the model, so the ONNX export is one graph from raw window to price.
 *
 * Contract: `fit` sees only rows before `split.testStart` (the no-leakage property is tested);
 * the same params, seed, data and backend give the same predictions.
 */
export interface Forecaster {
  readonly kind: ModelKind;
  readonly windowSize: number;
  /** The params it was built with, as logged on the run. */
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /** The TensorFlow.js backend that fitted or loaded it (logged as a tag); none for non-tfjs models. */
  readonly backend?: TfBackend | undefined;
  fit(input: FitInput, hooks?: FitHooks): Promise<void>;
  /** windows: N rows of `windowSize` closes each; returns N next closes. */
  predict(windows: readonly Float64Array[]): Promise<Float64Array>;
  /** Writes the fitted model to `dir` (a format `load` reads back). */
  save(dir: string): Promise<void>;
  /** One ONNX graph: input `closes` float32 [N, windowSize] -> output `next_close` float32 [N, 1]. */
  exportOnnx(): Promise<Uint8Array>;
}
