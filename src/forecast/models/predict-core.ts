import type * as Tf from '@tensorflow/tfjs';
import type { Tensorflow } from './load-tensorflow.js';

/** Rows per forward pass: bounds memory for long series, big enough to amortise call overhead. */
const CHUNK = 512;

/** The network's raw outputs (transformed space) for x [count, sequenceLength], in chunks. */
export async function predictCore(
  tf: Tensorflow,
  model: Tf.LayersModel,
  data: { readonly x: Float32Array; readonly count: number; readonly sequenceLength: number },
): Promise<Float32Array> {
  const out = new Float32Array(data.count);
  for (let start = 0; start < data.count; start += CHUNK) {
    const n = Math.min(CHUNK, data.count - start);
    const x = data.x.subarray(start * data.sequenceLength, (start + n) * data.sequenceLength);
    const y = tf.tidy(
      // One batch per chunk: tfjs would otherwise split it into batches of 32 (~40% slower).
      () =>
        model.predict(tf.tensor3d(x, [n, data.sequenceLength, 1]), { batchSize: n }) as Tf.Tensor,
    );
    out.set(await y.data<'float32'>(), start);
    y.dispose();
  }
  return out;
}
