import type * as Tf from '@tensorflow/tfjs';
import type { Tensorflow } from './load-tensorflow.js';
import { lstmInitialWeights } from './lstm-initial-weights.js';
import type { SeededRandom } from './seeded-random.js';

export interface LstmNetworkSpec {
  readonly sequenceLength: number;
  readonly units: number;
  readonly layers: number;
}

/**
 * Stacked LSTM layers (all but the last return sequences) and a linear dense(1) head on input
 * [sequenceLength, 1]. Activations are tanh / sigmoid (not tfjs's default hardSigmoid) because
 * the ONNX LSTM operator computes exactly that. Dropout is not a layer here: the training loop
 * applies seeded masks between layers (see train-lstm.ts), so inference needs nothing special.
 * Initial weights come from `rng`, not from tfjs's initialisers.
 */
export function buildLstmNetwork(
  tf: Tensorflow,
  spec: LstmNetworkSpec,
  rng: SeededRandom,
): Tf.Sequential {
  // Fixed names: tfjs would number layers with process-wide counters (lstm_LSTM2, dense_Dense3),
  // so the saved model.json would depend on how many models the process built before.
  const model = tf.sequential({ name: 'forecaster' });
  for (let l = 0; l < spec.layers; l++) {
    model.add(
      tf.layers.lstm({
        name: `lstm_${l + 1}`,
        units: spec.units,
        returnSequences: l < spec.layers - 1,
        activation: 'tanh',
        recurrentActivation: 'sigmoid',
        useBias: true,
        // The real initial values are set below; zeros make building cheap.
        kernelInitializer: 'zeros',
        recurrentInitializer: 'zeros',
        biasInitializer: 'zeros',
        unitForgetBias: false,
        ...(l === 0 ? { inputShape: [spec.sequenceLength, 1] } : {}),
      }),
    );
  }
  model.add(
    tf.layers.dense({ name: 'dense', units: 1, activation: 'linear', kernelInitializer: 'zeros' }),
  );
  const initial = lstmInitialWeights(rng, spec.units, spec.layers);
  tf.tidy(() => model.setWeights(initial.map((w) => tf.tensor(w.values, [...w.shape]))));
  return model;
}
