import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { MlopsError } from '../../core/index.js';

/** The TensorFlow.js API (the same surface whichever backend runs it). */
export type Tensorflow = typeof Tf;
/** 'tensorflow' = @tensorflow/tfjs-node (native libtensorflow); 'wasm' = tfjs-backend-wasm. */
export type TfBackend = 'tensorflow' | 'wasm';

export interface LoadedTensorflow {
  readonly tf: Tensorflow;
  readonly backend: TfBackend;
}

let loading: Promise<LoadedTensorflow> | undefined;

/**
 * Loads TensorFlow.js once per process: @tensorflow/tfjs-node when it can be loaded, otherwise
 * @tensorflow/tfjs on the WebAssembly backend with its .wasm files read from node_modules (no
 * network). Only ever imported lazily, so commands that train nothing never load tfjs.
 */
export function loadTensorflow(): Promise<LoadedTensorflow> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined; // let a later call retry
    throw error;
  });
  return loading;
}

async function load(): Promise<LoadedTensorflow> {
  const native = await loadNative();
  if (native) return { tf: native, backend: 'tensorflow' };
  const tf = await import('@tensorflow/tfjs');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  // A directory prefix (trailing separator): the backend appends the .wasm file name it picks.
  wasm.setWasmPaths(path.join(path.dirname(pkg), 'dist') + path.sep);
  if (!(await tf.setBackend('wasm'))) {
    throw new MlopsError(
      'INTERNAL_ERROR',
      'The TensorFlow.js WebAssembly backend failed to initialise; reinstall @tensorflow/tfjs-backend-wasm.',
    );
  }
  await tf.ready();
  return { tf, backend: 'wasm' };
}

async function loadNative(): Promise<Tensorflow | undefined> {
  // A variable specifier: the package is optional and has no types installed here.
  const name = '@tensorflow/tfjs-node';
  try {
    const mod = (await import(name)) as Tensorflow & { default?: Tensorflow };
    const tf = mod.default ?? mod;
    return (await tf.setBackend('tensorflow')) ? tf : undefined;
  } catch {
    return undefined; // not installed or its native library does not load: use wasm
  }
}
