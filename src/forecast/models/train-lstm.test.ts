import { describe, expect, it } from 'vitest';
import { seededDropoutMasks, type MaskSource } from './dropout-masks.js';
import { loadTensorflow } from './load-tensorflow.js';
import { buildLstmNetwork } from './lstm-network.js';
import { SeededRandom } from './seeded-random.js';
import { trainLstm, type SequenceData } from './train-lstm.js';

function randomData(count: number, length: number, seed: number): SequenceData {
  const rng = new SeededRandom(seed);
  const x = Float32Array.from({ length: count * length }, () => rng.normal());
  const y = Float32Array.from({ length: count }, (_, k) => 0.5 * x[k * length + length - 1]!);
  return { x, y, count, sequenceLength: length };
}

/** Trains a 2-layer network for 2 epochs and returns the masks it drew and its final weights. */
async function run(seed: number, dropout: number, zeroMasks = false) {
  const { tf } = await loadTensorflow();
  const rng = new SeededRandom(seed);
  const model = buildLstmNetwork(tf, { sequenceLength: 6, units: 3, layers: 2 }, rng);
  const base = seededDropoutMasks(rng);
  const drawn: Float32Array[] = [];
  const masks: MaskSource = (size, rate) => {
    const mask = zeroMasks ? new Float32Array(size) : base(size, rate);
    drawn.push(mask);
    return mask;
  };
  const options = { epochs: 2, batchSize: 8, learningRate: 0.01, dropout, patience: 5 };
  const initial = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  const summary = await trainLstm({
    tf,
    model,
    train: randomData(24, 6, 1),
    validation: randomData(8, 6, 2),
    options,
    rng,
    masks,
  });
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  model.dispose();
  return { drawn, initial, weights, summary };
}

const bytes = (arrays: Float32Array[]) => arrays.map((a) => Buffer.from(a.buffer).toString('hex'));

describe('trainLstm', () => {
  it('draws a fresh dropout mask for every layer at every step', async () => {
    const { drawn } = await run(1, 0.5);
    // 24 windows / batch 8 = 3 steps per epoch, 2 epochs, 2 layers: 12 masks.
    expect(drawn).toHaveLength(12);
    const [step1layer1, , step2layer1] = drawn;
    expect(step1layer1).toHaveLength(8 * 6 * 3); // [batch, time, units] after the first layer
    expect(drawn[1]).toHaveLength(8 * 3); // [batch, units] after the last layer
    expect(bytes([step2layer1!])).not.toEqual(bytes([step1layer1!]));
    expect(new Set(step1layer1)).toEqual(new Set([0, 2])); // inverted dropout: 0 or 1/(1-rate)
  });

  it('replays the same masks and weights for one seed, and not for another', async () => {
    const a = await run(7, 0.3);
    const b = await run(7, 0.3);
    const c = await run(8, 0.3);
    expect(bytes(b.drawn)).toEqual(bytes(a.drawn));
    expect(bytes(b.weights)).toEqual(bytes(a.weights));
    expect(bytes(c.weights)).not.toEqual(bytes(a.weights));
  });

  it('applies the masks in the training graph: all-zero masks stop every LSTM gradient', async () => {
    const { initial, weights } = await run(5, 0.5, true);
    const lstmWeights = 6; // 2 layers x (kernel, recurrent kernel, bias); then the dense head
    expect(bytes(weights.slice(0, lstmWeights))).toEqual(bytes(initial.slice(0, lstmWeights)));
    expect(bytes(weights.slice(lstmWeights))).not.toEqual(bytes(initial.slice(lstmWeights)));
  });

  it('draws no masks without dropout, and keeps the best epoch', async () => {
    const { drawn, summary } = await run(3, 0);
    expect(drawn).toHaveLength(0);
    const best = Math.min(...summary.history.map((h) => h.valLoss ?? Infinity));
    expect(summary.bestValLoss).toBe(best);
    expect(summary.history[summary.bestEpoch - 1]?.valLoss).toBe(best);
  });
});
