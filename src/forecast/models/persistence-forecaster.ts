import type { FitInput, Forecaster } from './forecaster.js';
import { writeManifest } from './forecaster-files.js';
import { resolveParams, type PersistenceParams } from './forecaster-params.js';
import { checkWindows } from './check-windows.js';
import type { RawParams } from './param-spec.js';

/** The naive baseline every model is scored against: the next close is the last close. */
export class PersistenceForecaster implements Forecaster {
  readonly kind = 'persistence' as const;
  readonly params: PersistenceParams;

  constructor(params: RawParams = {}) {
    this.params = resolveParams('persistence', params);
  }

  get windowSize(): number {
    return this.params.window;
  }

  /** Nothing to fit. */
  async fit(_input: FitInput): Promise<void> {}

  async predict(windows: readonly Float64Array[]): Promise<Float64Array> {
    checkWindows(windows, this.windowSize);
    return Float64Array.from(windows, (w) => w[w.length - 1] ?? Number.NaN);
  }

  async save(dir: string): Promise<void> {
    await writeManifest(dir, { kind: this.kind, windowSize: this.windowSize, params: this.params });
  }

  async exportOnnx(): Promise<Uint8Array> {
    // Lazy: onnx-proto loads only when a model is exported.
    const { exportPersistenceOnnx } = await import('../onnx/index.js');
    return exportPersistenceOnnx(this.windowSize);
  }
}
