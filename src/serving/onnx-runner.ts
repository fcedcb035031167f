import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { MlopsError } from '../core/index.js';
import { checkBatch, checkWarmUp, warmUpWindow } from './check-batch.js';
import type { ModelRunner } from './model-runner.js';

export interface OnnxRunnerOptions {
  /** The declared signature: graph input and output names and closes per window. */
  readonly inputName: string;
  readonly outputName: string;
  readonly window: number;
  /** Threads per prediction; 1 keeps concurrent requests from fighting over 2 cores. */
  readonly intraOpThreads?: number;
}

type Ort = typeof import('onnxruntime-node');

/**
 * ONNX Runtime behind `ModelRunner`. onnxruntime-node is imported on first `open`, so that loading
 * the serving module stays cheap. `open` refuses a graph whose input/output names, dtypes or
 * window do not match the declared signature, so a mismatched package never gets served.
 */
export class OnnxRunner implements ModelRunner {
  readonly engine = 'onnx';

  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    private readonly options: OnnxRunnerOptions,
  ) {}

  get window(): number {
    return this.options.window;
  }

  static async open(bytes: Uint8Array, options: OnnxRunnerOptions): Promise<OnnxRunner> {
    const ort = await import('onnxruntime-node');
    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: options.intraOpThreads ?? 1,
        interOpNumThreads: 1,
      });
    } catch (cause) {
      throw new MlopsError(
        'INVALID_PARAMETER_VALUE',
        `The ONNX model cannot be loaded (${String(cause)}). Re-export the model or check the package's model.onnx.`,
        { cause },
      );
    }
    try {
      checkSignature(session, options);
    } catch (err) {
      await session.release().catch(() => {});
      throw err;
    }
    return new OnnxRunner(ort, session, options);
  }

  async predict(windows: Float32Array, n: number): Promise<Float64Array> {
    const { window, inputName, outputName } = this.options;
    checkBatch(windows, n, window);
    if (n === 0) return new Float64Array(0);
    const feeds = { [inputName]: new this.ort.Tensor('float32', windows, [n, window]) };
    const result = await this.session.run(feeds);
    const out: Tensor | undefined = result[outputName];
    if (!out || out.data.length !== n) {
      throw new MlopsError(
        'INTERNAL_ERROR',
        `The ONNX model's output '${outputName}' has ${out?.data.length ?? 0} values for ${n} windows.`,
      );
    }
    return Float64Array.from(out.data as Float32Array);
  }

  async warmUp(): Promise<void> {
    checkWarmUp(await this.predict(warmUpWindow(this.window), 1));
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

function checkSignature(session: InferenceSession, options: OnnxRunnerOptions): void {
  const { inputName, outputName, window } = options;
  const mismatch = (what: string) =>
    new MlopsError(
      'MODEL_SIGNATURE_MISMATCH',
      `The ONNX graph does not match the package signature: ${what}. Re-register the model with a signature that describes its graph.`,
      { details: { inputName, outputName, window } },
    );
  if (session.inputNames.length !== 1 || session.inputNames[0] !== inputName) {
    throw mismatch(
      `the signature declares one input '${inputName}', the graph has inputs [${session.inputNames.join(', ')}]`,
    );
  }
  if (!session.outputNames.includes(outputName)) {
    throw mismatch(
      `the signature declares output '${outputName}', the graph has outputs [${session.outputNames.join(', ')}]`,
    );
  }
  const input = session.inputMetadata[0];
  if (input?.isTensor) {
    if (input.type !== 'float32') {
      throw mismatch(`input '${inputName}' is ${input.type}, expected float32 closes`);
    }
    const width = input.shape[1];
    if (input.shape.length !== 2 || (typeof width === 'number' && width !== window)) {
      throw mismatch(
        `input '${inputName}' has shape [${input.shape.join(', ')}], expected [batch, ${window}] (window ${window})`,
      );
    }
  }
  const output = session.outputMetadata[session.outputNames.indexOf(outputName)];
  if (output?.isTensor) {
    const perRow = output.shape
      .slice(1)
      .reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
    if (perRow !== 1 || output.shape.slice(1).some((d) => typeof d !== 'number')) {
      throw mismatch(
        `output '${outputName}' has shape [${output.shape.join(', ')}], expected one value per window ([batch, 1] or [batch])`,
      );
    }
  }
}
