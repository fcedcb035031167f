// npm run bench -- lstm [--epochs N] [--cpu-epochs N] [--reps N] [--skip-cpu] [--profile]
// Figures (issue 3): seconds per training epoch of 2 x LSTM(50), window 60, batch 32 on exactly
// 1000 training windows, per TensorFlow.js backend available here; and one forward pass over 256
// windows through ONNX Runtime (the model's exportOnnx graph) and through tfjs (the forecaster's
// predict), each the other's baseline. --profile prints a tf.profile kernel breakdown of a few
// training batches to stderr. Every figure comes from this one process.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  LstmForecaster,
  loadTensorflow,
  protocolSplit,
  splitWindows,
  syntheticCloses,
  trainingWindowCount,
  type ProtocolSplit,
  type Tensorflow,
} from '../src/forecast/index.js';
import { median, report } from './report.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) || fallback : fallback;
};
/** Timed epochs after the first (which also pays warm-up) on wasm, and on the pure-JS cpu backend. */
const wasmEpochs = option('--epochs', 3);
const cpuEpochs = option('--cpu-epochs', 1);
const reps = option('--reps', 20);

const BENCH = 'lstm';
const WINDOW = 60;
const TRAIN_WINDOWS = 1000;
/** The classic recipe: LSTM(50, return_sequences) -> Dropout(0.2) -> LSTM(50) -> Dropout(0.2) -> Dense(1). */
const PARAMS = {
  window: WINDOW,
  units: 50,
  layers: 2,
  dropout: 0.2,
  learningRate: 1e-3,
  batchSize: 32,
  seed: 7,
  target: 'log_return',
};
const EPOCH = 'an epoch = all training batches + the validation pass + the best-weights copy';
const ISSUE_WASM = { name: 'issue figure for tfjs-wasm', value: 15 };
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** The smallest series whose protocol split has exactly TRAIN_WINDOWS training windows. */
function benchSeries(): { closes: Float64Array; split: ProtocolSplit } {
  for (let rows = WINDOW + TRAIN_WINDOWS; rows < 4 * TRAIN_WINDOWS; rows++) {
    const split = protocolSplit(rows, WINDOW);
    if (trainingWindowCount(split) === TRAIN_WINDOWS) {
      return { closes: syntheticCloses(rows, 11), split };
    }
  }
  throw new Error(`no series length gives ${TRAIN_WINDOWS} training windows`);
}

interface EpochTimes {
  forecaster: LstmForecaster;
  /** From fit() to the end of epoch 1: data preparation, model build, kernel warm-up, one epoch. */
  firstEpochS: number;
  /** Epochs 2.. (each: all training batches, the validation pass, the best-weights copy). */
  epochS: number[];
}

async function timeEpochs(
  data: { closes: Float64Array; split: ProtocolSplit },
  timed: number,
): Promise<EpochTimes> {
  const forecaster = new LstmForecaster({ ...PARAMS, epochs: timed + 1, patience: timed + 1 });
  const ends: number[] = [];
  const t0 = performance.now();
  await forecaster.fit(data, { onEpoch: () => ends.push(performance.now()) });
  const [first = NaN, ...rest] = ends;
  return {
    forecaster,
    firstEpochS: (first - t0) / 1000,
    epochS: rest.map((t, i) => (t - (ends[i] ?? NaN)) / 1000),
  };
}

/** Why @tensorflow/tfjs-node (backend 'tensorflow') is not in use, or undefined if it is. */
async function nativeUnavailable(tf: Tensorflow): Promise<string | undefined> {
  if (tf.findBackendFactory('tensorflow')) return undefined;
  const name = '@tensorflow/tfjs-node'; // a variable specifier: optional, not installed here
  try {
    await import(name);
    return 'installed but its native backend did not register';
  } catch (error) {
    return String(error instanceof Error ? error.message : error).split('\n')[0];
  }
}

/** Median ms of `run` over `reps` calls after 3 warm-up calls. */
async function timeMs(run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function predictFigures(
  forecaster: LstmForecaster,
  windows: readonly Float64Array[],
  backend: string,
): Promise<void> {
  const ort = await import('onnxruntime-node');
  const bytes = await forecaster.exportOnnx();
  const open = (threads?: number) =>
    ort.InferenceSession.create(bytes, threads ? { intraOpNumThreads: threads } : {});
  const width = windows[0]?.length ?? 0;
  const onnxPredict = async (session: Awaited<ReturnType<typeof open>>) => {
    // As openOnnxForecaster does: raw windows in, Float64Array of next closes out.
    const flat = new Float32Array(windows.length * width);
    windows.forEach((w, i) => flat.set(w, i * width));
    const input = new ort.Tensor('float32', flat, [windows.length, width]);
    const result = await session.run({ [session.inputNames[0] ?? '']: input });
    return Float64Array.from(result[session.outputNames[0] ?? '']?.data as Float32Array);
  };
  const session = await open();
  const single = await open(1);
  const viaOnnx = await onnxPredict(session);
  const viaTfjs = await forecaster.predict(windows);
  let maxRelDiff = 0;
  viaTfjs.forEach((y, i) => {
    maxRelDiff = Math.max(maxRelDiff, Math.abs((viaOnnx[i] ?? NaN) - y) / Math.abs(y));
  });
  const tfjsMs = await timeMs(() => forecaster.predict(windows));
  const onnxMs = await timeMs(() => onnxPredict(session));
  const onnx1Ms = await timeMs(() => onnxPredict(single));
  await session.release();
  await single.release();
  const common = { windows: windows.length, window: width, reps, max_rel_diff: maxRelDiff };
  report({
    bench: BENCH,
    metric: 'onnx_predict256_ms',
    value: round(onnxMs),
    unit: 'ms',
    baseline: { name: `tfjs predict (${backend}), same model and windows`, value: round(tfjsMs) },
    ratio: round(onnxMs / tfjsMs, 4),
    runtime: `onnxruntime-node ${ort.env.versions.node ?? ''}`.trim(),
    single_thread_ms: round(onnx1Ms),
    ...common,
  });
  report({
    bench: BENCH,
    metric: 'tfjs_predict256_ms',
    value: round(tfjsMs),
    unit: 'ms',
    baseline: { name: 'ONNX Runtime predict, same model and windows', value: round(onnxMs) },
    ratio: round(tfjsMs / onnxMs, 4),
    backend,
    ...common,
  });
}

/** stderr: where the time of one warm epoch on a few batches goes, by kernel (tf.profile). */
async function profileBatches(tf: Tensorflow, batches: number): Promise<void> {
  // Rows such that the protocol split leaves about `batches` x 32 training windows.
  const rows = Math.ceil((batches * 32) / 0.9 / 0.8 + WINDOW);
  const data = { closes: syntheticCloses(rows, 3), split: protocolSplit(rows, WINDOW) };
  const forecaster = new LstmForecaster({ ...PARAMS, epochs: 1 });
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await forecaster.fit(data);
    return [];
  });
  const wallMs = performance.now() - t0;
  forecaster.dispose();
  const byKernel = new Map<string, { ms: number; calls: number }>();
  let kernelMs = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const key = `${k.name} ${JSON.stringify(k.inputShapes).slice(0, 40)}`;
    const entry = byKernel.get(key) ?? { ms: 0, calls: 0 };
    byKernel.set(key, { ms: entry.ms + ms, calls: entry.calls + 1 });
    kernelMs += ms;
  }
  const trained = trainingWindowCount(data.split);
  const line = (text: string) => process.stderr.write(text + '\n');
  line(
    `profile (${tf.getBackend()}, times inflated by profiling): 1 epoch, ${trained} training + ` +
      `${data.split.testStart - data.split.validationStart} validation windows, ` +
      `${info.kernels.length} kernel calls, ${kernelMs.toFixed(0)} ms in kernels of ${wallMs.toFixed(0)} ms wall`,
  );
  line(
    `  ${'ms'.padStart(6)} ${'calls'.padStart(6)} ${'us/call'.padStart(8)}  kernel [input shapes]`,
  );
  for (const [key, { ms, calls }] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) {
    const us = ((ms / calls) * 1000).toFixed(1);
    line(`  ${ms.toFixed(0).padStart(6)} ${String(calls).padStart(6)} ${us.padStart(8)}  ${key}`);
  }
}

const data = benchSeries();
const t0 = performance.now();
const { tf } = await loadTensorflow();
const loadS = (performance.now() - t0) / 1000;
const native = await nativeUnavailable(tf);
if (native)
  process.stderr.write(`backend 'tensorflow' (@tensorflow/tfjs-node) unavailable: ${native}\n`);
const common = {
  training_windows: trainingWindowCount(data.split),
  validation_windows: data.split.testStart - data.split.validationStart,
  ...PARAMS,
  ...(native ? { unavailable: { tensorflow: native } } : {}),
};

// The backend loadTensorflow picks first (wasm here; tfjs-node where it loads), then pure-JS cpu.
const first = await timeEpochs(data, wasmEpochs);
const firstS = median(first.epochS);
const firstBackend = tf.getBackend();
report({
  bench: BENCH,
  metric: 'lstm_epoch_s',
  value: round(firstS),
  unit: 's',
  backend: firstBackend,
  baseline: ISSUE_WASM,
  ratio: round(firstS / ISSUE_WASM.value),
  epochs_timed: first.epochS.map((s) => round(s)),
  timing: `median of epochs 2..${wasmEpochs + 1} of LstmForecaster.fit; ${EPOCH}`,
  first_epoch_s: round(first.firstEpochS),
  tfjs_load_s: round(loadS),
  load_avg_1m: round(loadavg()[0] ?? NaN, 2),
  ...common,
});
const windows = splitWindows(data.closes, data.split, 'test').windows.slice(0, 256);
await predictFigures(first.forecaster, windows, firstBackend);
first.forecaster.dispose();
if (args.includes('--profile')) await profileBatches(tf, 5);

if (!args.includes('--skip-cpu') && (await tf.setBackend('cpu'))) {
  // LstmForecaster builds and trains on tf's current backend (tfjs has one engine per process).
  const cpu = await timeEpochs(data, cpuEpochs);
  const cpuS = median(cpu.epochS);
  report({
    bench: BENCH,
    metric: 'lstm_epoch_s',
    value: round(cpuS),
    unit: 's',
    backend: tf.getBackend(),
    baseline: { name: `${firstBackend} epoch, this run`, value: round(firstS) },
    ratio: round(cpuS / firstS),
    epochs_timed: cpu.epochS.map((s) => round(s)),
    timing: `${cpuEpochs} whole epoch(s) after a warm-up epoch, not extrapolated; ${EPOCH}`,
    first_epoch_s: round(cpu.firstEpochS),
    load_avg_1m: round(loadavg()[0] ?? NaN, 2),
    ...common,
  });
  cpu.forecaster.dispose();
}
