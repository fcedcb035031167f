/**
 * A model version ready to be served, built by the application layer from a model package
 * (serving never reads packages itself). `onnx` is preferred; `fallback` is used when a package
 * has no ONNX flavor (the app passes a TensorFlow.js-backed function).
 */
export interface LoadedModel {
  readonly name: string;
  readonly version: string;
  /** The registry's package hash of this version (the MLmodel blob's manifest id). */
  readonly packageHash: string;
  /** Closes per window (the signature's `window`). */
  readonly window: number;
  /** The graph's input and output names as declared by the package signature. */
  readonly inputName: string;
  readonly outputName: string;
  /** The ONNX flavor's bytes. */
  readonly onnx?: Uint8Array;
  /** Predicts one next close per window (each `window` closes, oldest first). */
  readonly fallback?: (windows: readonly Float64Array[]) => Promise<Float64Array>;
  /** Releases what `fallback` holds (a TensorFlow.js model); called once, after its last use. */
  readonly dispose?: () => Promise<void>;
}

/** What names a served version: the registry's (name, version) and its package hash. */
export interface ModelRef {
  readonly name: string;
  readonly version: string;
  readonly packageHash: string;
}
