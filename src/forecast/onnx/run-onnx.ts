import type { InferenceSession } from 'onnxruntime-node';
import { invalidParam, MlopsError } from '../../core/index.js';
import { INPUT_NAME, OUTPUT_NAME } from './forecast-graph.js';

/** A loaded forecasting graph: predict many batches, then release the native session. */
export interface OnnxForecaster {
  /** One next close per window (each `windowSize` closes, oldest first). */
  predict(windows: readonly ArrayLike<number>[]): Promise<Float64Array>;
  release(): Promise<void>;
}

/**
 * Opens a graph from `exportPersistenceOnnx` / `exportRidgeOnnx` / `exportLstmOnnx`.
 * onnxruntime-node is imported here, on first use, so that loading this folder stays cheap.
 */
export async function openOnnxForecaster(bytes: Uint8Array): Promise<OnnxForecaster> {
  const ort = await import('onnxruntime-node');
  const session: InferenceSession = await ort.InferenceSession.create(bytes);
  return {
    async predict(windows) {
      const n = windows.length;
      const width = windows[0]?.length ?? 0;
      if (n === 0) return new Float64Array(0);
      const flat = new Float32Array(n * width);
      windows.forEach((w, i) => {
        if (w.length !== width) {
          throw invalidParam(`Window ${i} has ${w.length} closes, expected ${width}.`);
        }
        flat.set(Float32Array.from(w), i * width);
      });
      const feeds = { [INPUT_NAME]: new ort.Tensor('float32', flat, [n, width]) };
      const result = await session.run(feeds).catch((cause: unknown) => {
        // Almost always windows that do not fit the graph's window size: the caller's input.
        const message = `ONNX Runtime rejected ${n} windows of ${width} closes: ${String(cause)}`;
        throw new MlopsError('INVALID_PARAMETER_VALUE', message, { cause });
      });
      const out = result[OUTPUT_NAME];
      if (!out) throw invalidParam(`The model has no output '${OUTPUT_NAME}'.`);
      return Float64Array.from(out.data as Float32Array);
    },
    release: () => session.release(),
  };
}

/** One-shot helper: open the graph, predict `windows`, release. */
export async function runOnnx(
  bytes: Uint8Array,
  windows: readonly ArrayLike<number>[],
): Promise<Float64Array> {
  const model = await openOnnxForecaster(bytes);
  try {
    return await model.predict(windows);
  } finally {
    await model.release();
  }
}
