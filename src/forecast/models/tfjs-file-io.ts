import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { MlopsError } from '../../core/index.js';
import { writeFileAtomic } from './forecaster-files.js';
import type { Tensorflow } from './load-tensorflow.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

function joinWeights(data: Tf.io.WeightData | undefined): Uint8Array {
  const parts = data === undefined ? [] : Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out;
}

/**
 * Saves a tfjs model as model.json + weights.bin in the layout tfjs's own file handlers use
 * (tfjs-node's file:// handler is not available on the wasm backend, so this is that handler).
 */
export async function saveLayersModel(
  tf: Tensorflow,
  model: Tf.LayersModel,
  dir: string,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = joinWeights(artifacts.weightData);
      const json: Tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.format === undefined ? {} : { format: artifacts.format }),
        ...(artifacts.generatedBy === undefined ? {} : { generatedBy: artifacts.generatedBy }),
      };
      await writeFileAtomic(path.join(dir, WEIGHTS_BIN), weights);
      await writeFileAtomic(path.join(dir, MODEL_JSON), `${JSON.stringify(json)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Loads what `saveLayersModel` wrote. */
export async function loadLayersModel(tf: Tensorflow, dir: string): Promise<Tf.LayersModel> {
  try {
    const json = JSON.parse(await readFile(path.join(dir, MODEL_JSON), 'utf8')) as Tf.io.ModelJSON;
    const bytes = await readFile(path.join(dir, WEIGHTS_BIN));
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }),
    );
  } catch (cause) {
    throw new MlopsError(
      'IO_ERROR',
      `Cannot load the tfjs model in '${dir}' (${MODEL_JSON} + ${WEIGHTS_BIN}): ${String(cause)}`,
      { cause },
    );
  }
}
