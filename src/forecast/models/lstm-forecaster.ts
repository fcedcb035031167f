import type * as Tf from '@tensorflow/tfjs';
import { MlopsError } from '../../core/index.js';
import { fitWindowTransform } from '../features/fit-window-transform.js';
import { splitWindows } from '../features/sliding-windows.js';
import { checkTrainable } from './check-trainable.js';
import { checkWindows } from './check-windows.js';
import type { FitHooks, FitInput, Forecaster } from './forecaster.js';
import { writeManifest } from './forecaster-files.js';
import { resolveParams, type LstmParams } from './forecaster-params.js';
import { lstmOnnxSpec } from './lstm-onnx-spec.js';
import { buildLstmNetwork } from './lstm-network.js';
import { loadTensorflow, type Tensorflow, type TfBackend } from './load-tensorflow.js';
import type { RawParams } from './param-spec.js';
import { predictCore } from './predict-core.js';
import { SeededRandom } from './seeded-random.js';
import { toSequenceData } from './sequence-data.js';
import { saveLayersModel } from './tfjs-file-io.js';
import { trainLstm, type TrainingSummary } from './train-lstm.js';
import { untransformOutput, type WindowTransform } from './window-transform.js';

/** A fitted (or loaded) LSTM: the tfjs model and what surrounds it. */
export interface LstmState {
  readonly tf: Tensorflow;
  readonly backend: TfBackend;
  readonly model: Tf.LayersModel;
  readonly transform: WindowTransform;
  /** Absent for a model loaded from disk without a training record. */
  readonly training?: TrainingSummary | undefined;
}

/**
 * Stacked LSTM on the transformed window (TensorFlow.js). Trained on the training targets with
 * early stopping on the validation targets; never reads rows at or after split.testStart.
 * Deterministic for one seed, data and backend (see train-lstm.ts).
 */
export class LstmForecaster implements Forecaster {
  readonly kind = 'lstm' as const;
  readonly params: LstmParams;
  private fitted: LstmState | undefined;

  constructor(params: RawParams = {}, state?: LstmState) {
    this.params = resolveParams('lstm', params);
    this.fitted = state;
  }

  get windowSize(): number {
    return this.params.window;
  }

  get backend(): TfBackend | undefined {
    return this.fitted?.backend;
  }

  /** The fitted state (tfjs model, backend, transform, training record), undefined before fit. */
  get state(): LstmState | undefined {
    return this.fitted;
  }

  async fit({ closes, split }: FitInput, hooks?: FitHooks): Promise<void> {
    const p = this.params;
    checkTrainable(closes, split, p.window);
    const { tf, backend } = await loadTensorflow();
    const transform = fitWindowTransform(closes, split, p.target);
    const data = (part: 'train' | 'validation') => {
      const set = splitWindows(closes, split, part, p.window);
      return toSequenceData(transform, set.windows, p.window, set.targets);
    };
    const train = data('train');
    const validation = data('validation');
    const rng = new SeededRandom(p.seed);
    const spec = { sequenceLength: train.sequenceLength, units: p.units, layers: p.layers };
    const model = buildLstmNetwork(tf, spec, rng);
    try {
      const training = await trainLstm({ tf, model, train, validation, options: p, rng, hooks });
      this.dispose();
      this.fitted = { tf, backend, model, transform, training };
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  async predict(windows: readonly Float64Array[]): Promise<Float64Array> {
    const { tf, model, transform } = this.require();
    checkWindows(windows, this.windowSize);
    const y = await predictCore(tf, model, toSequenceData(transform, windows, this.windowSize));
    return Float64Array.from(windows, (w, k) => untransformOutput(transform, w, y[k]!));
  }

  async save(dir: string): Promise<void> {
    const { tf, backend, model, transform, training } = this.require();
    await saveLayersModel(tf, model, dir);
    await writeManifest(dir, {
      kind: this.kind,
      windowSize: this.windowSize,
      params: this.params,
      transform,
      state: {
        backend,
        ...(training ? { training } : {}),
      },
    });
  }

  async exportOnnx(): Promise<Uint8Array> {
    const { model, transform } = this.require();
    const { exportLstmOnnx } = await import('../onnx/index.js');
    return exportLstmOnnx(lstmOnnxSpec(model, transform, this.windowSize));
  }

  /** Frees the tfjs model's tensors (the forecaster needs `fit` or a reload afterwards). */
  dispose(): void {
    this.fitted?.model.dispose();
    this.fitted = undefined;
  }

  private require(): LstmState {
    if (!this.fitted) {
      throw new MlopsError('INVALID_STATE', 'The LSTM is not fitted; call fit() first.');
    }
    return this.fitted;
  }
}
