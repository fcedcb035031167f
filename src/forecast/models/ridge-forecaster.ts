import { MlopsError } from '../../core/index.js';
import { fitWindowTransform } from '../features/fit-window-transform.js';
import { splitWindows } from '../features/sliding-windows.js';
import { checkWindows } from './check-windows.js';
import { fitRidge } from './fit-ridge.js';
import type { FitInput, Forecaster } from './forecaster.js';
import { writeManifest } from './forecaster-files.js';
import { resolveParams, type RidgeParams } from './forecaster-params.js';
import type { RawParams } from './param-spec.js';
import { checkTrainable } from './check-trainable.js';
import {
  transformTarget,
  transformWindow,
  untransformOutput,
  type WindowTransform,
} from './window-transform.js';

/** The fitted state of a ridge model (what forecaster.json keeps). */
export interface RidgeState {
  readonly transform: WindowTransform;
  readonly weights: Float64Array;
  readonly bias: number;
}

/**
 * A linear model on the transformed window (ridge, closed form in float64). Fitted on the
 * training targets only (t < validationStart), like the LSTM, so validation scores stay honest
 * for choosing `alpha`.
 */
export class RidgeForecaster implements Forecaster {
  readonly kind = 'linear' as const;
  readonly params: RidgeParams;
  private fitted: RidgeState | undefined;

  constructor(params: RawParams = {}, state?: RidgeState) {
    this.params = resolveParams('linear', params);
    this.fitted = state;
  }

  get windowSize(): number {
    return this.params.window;
  }

  /** The fitted transform, weights and bias (undefined before `fit`). */
  get state(): RidgeState | undefined {
    return this.fitted;
  }

  async fit({ closes, split }: FitInput): Promise<void> {
    checkTrainable(closes, split, this.windowSize);
    const transform = fitWindowTransform(closes, split, this.params.target);
    const train = splitWindows(closes, split, 'train', this.windowSize);
    const x = train.windows.map((w) => transformWindow(transform, w));
    const y = Float64Array.from(train.windows, (w, k) =>
      transformTarget(transform, w, train.targets[k]!),
    );
    this.fitted = { transform, ...fitRidge(x, y, this.params.alpha) };
  }

  async predict(windows: readonly Float64Array[]): Promise<Float64Array> {
    const { transform, weights, bias } = this.require();
    checkWindows(windows, this.windowSize);
    return Float64Array.from(windows, (w) => {
      const x = transformWindow(transform, w);
      let y = bias;
      for (let j = 0; j < x.length; j++) y += x[j]! * weights[j]!;
      return untransformOutput(transform, w, y);
    });
  }

  async save(dir: string): Promise<void> {
    const { transform, weights, bias } = this.require();
    await writeManifest(dir, {
      kind: this.kind,
      windowSize: this.windowSize,
      params: this.params,
      transform,
      // JSON numbers round-trip float64 exactly.
      state: { weights: Array.from(weights), bias },
    });
  }

  async exportOnnx(): Promise<Uint8Array> {
    const { transform, weights, bias } = this.require();
    const { exportRidgeOnnx } = await import('../onnx/index.js');
    return exportRidgeOnnx({ windowSize: this.windowSize, transform, weights, bias });
  }

  private require(): RidgeState {
    if (!this.fitted) {
      throw new MlopsError('INVALID_STATE', 'The linear model is not fitted; call fit() first.');
    }
    return this.fitted;
  }
}
