import type * as Tf from '@tensorflow/tfjs';
import { invalidParam } from '../../core/index.js';
import type { EpochLog, FitHooks } from './forecaster.js';
import { seededDropoutMasks, type MaskSource } from './dropout-masks.js';
import type { Tensorflow } from './load-tensorflow.js';
import { predictCore } from './predict-core.js';
import type { SeededRandom } from './seeded-random.js';

/** Transformed windows: x is [count, sequenceLength] row-major (one feature), y is [count]. */
export interface SequenceData {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly count: number;
  readonly sequenceLength: number;
}

export interface TrainingOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly dropout: number;
  readonly patience: number;
}

export interface TrainingSummary {
  /** Per epoch (1-based): mean training loss (with dropout) and validation loss, both MSE. */
  readonly history: readonly EpochLog[];
  /** The epoch whose weights were kept (lowest validation loss). */
  readonly bestEpoch: number;
  readonly bestValLoss: number;
}

export interface TrainLstmInput {
  readonly tf: Tensorflow;
  readonly model: Tf.LayersModel;
  readonly train: SequenceData;
  readonly validation: SequenceData;
  readonly options: TrainingOptions;
  /** The run's generator (already used for the initial weights): shuffling and dropout masks. */
  readonly rng: SeededRandom;
  readonly hooks?: FitHooks | undefined;
  /** Where dropout masks come from; defaults to `rng`. Tests wrap it to see the masks. */
  readonly masks?: MaskSource;
}

function take(src: Float32Array, rows: Uint32Array, rowLength: number): Float32Array {
  const out = new Float32Array(rows.length * rowLength);
  rows.forEach((r, k) => out.set(src.subarray(r * rowLength, (r + 1) * rowLength), k * rowLength));
  return out;
}

function mse(predicted: Float32Array, actual: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (predicted[i]! - actual[i]!) ** 2;
  return sum / actual.length;
}

/**
 * Minibatch Adam on MSE with our own loop instead of `model.fit` (which shuffles with
 * Math.random): each epoch shuffles with `rng`, each step applies fresh dropout masks from it
 * after every LSTM layer. Early stopping on validation loss; the best epoch's weights are restored.
 */
export async function trainLstm(input: TrainLstmInput): Promise<TrainingSummary> {
  const { tf, model, train, validation, options, rng, hooks } = input;
  const masks = input.masks ?? seededDropoutMasks(rng);
  const optimizer = tf.train.adam(options.learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as Tf.Variable);
  const lstmCount = model.layers.length - 1; // the last layer is the dense head
  const history: EpochLog[] = [];
  let best = { epoch: 0, valLoss: Infinity, weights: [] as Float32Array[] };
  let waited = 0;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const order = rng.permutation(train.count);
      let lossSum = 0;
      for (let start = 0; start < train.count; start += options.batchSize) {
        const rows = order.subarray(start, start + options.batchSize);
        const b = rows.length;
        const xb = take(train.x, rows, train.sequenceLength);
        const yb = take(train.y, rows, 1);
        // Mask shapes: [b, T, units] after sequence-returning layers, [b, units] after the last.
        const maskShapes = model.layers.slice(0, lstmCount).map((layer) => {
          const shape = layer.outputShape as (number | null)[];
          return [b, ...shape.slice(1).map((d) => d ?? 1)];
        });
        const maskValues =
          options.dropout > 0
            ? maskShapes.map((s) =>
                masks(
                  s.reduce((p, d) => p * d, 1),
                  options.dropout,
                ),
              )
            : [];
        const loss = tf.tidy(() => {
          const xs = tf.tensor3d(xb, [b, train.sequenceLength, 1]);
          const ys = tf.tensor2d(yb, [b, 1]);
          const cost = optimizer.minimize(
            () => {
              let h = xs as Tf.Tensor;
              model.layers.forEach((layer, l) => {
                h = layer.apply(h, { training: true }) as Tf.Tensor;
                const mask = maskValues[l];
                if (mask && l < lstmCount) h = tf.mul(h, tf.tensor(mask, maskShapes[l]));
              });
              return tf.losses.meanSquaredError(ys, h) as Tf.Scalar;
            },
            true,
            variables,
          );
          return cost ?? tf.scalar(NaN);
        });
        lossSum += loss.dataSync()[0]! * b;
        loss.dispose();
      }
      const valLoss = mse(await predictCore(tf, model, validation), validation.y);
      const log: EpochLog = { epoch, loss: lossSum / train.count, valLoss };
      history.push(log);
      hooks?.onEpoch?.(log);
      if (valLoss < best.valLoss) {
        best = {
          epoch,
          valLoss,
          weights: model.getWeights().map((w) => Float32Array.from(w.dataSync())),
        };
        waited = 0;
      } else if (++waited >= options.patience) {
        break;
      }
      await new Promise((resolve) => setImmediate(resolve)); // let I/O (progress, signals) run
    }
  } finally {
    optimizer.dispose();
  }
  if (best.epoch === 0) {
    throw invalidParam(
      `Training diverged: the validation loss was never finite (last ${history.at(-1)?.valLoss}). Lower 'learningRate' (now ${options.learningRate}).`,
      { param: 'learningRate' },
    );
  }
  const shapes = model.getWeights().map((w) => w.shape);
  tf.tidy(() => model.setWeights(best.weights.map((w, i) => tf.tensor(w, shapes[i]))));
  return { history, bestEpoch: best.epoch, bestValLoss: best.valLoss };
}
