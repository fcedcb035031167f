import { invalidParam, MlopsError } from '../../core/index.js';
import type { ModelSignature, TensorDtype, TensorSpec } from './model-manifest.js';

/** What an ONNX file declares about itself. */
export interface OnnxGraphInfo {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** The default-domain opset. */
  readonly opset?: number;
  readonly irVersion?: number;
}

// ONNX TensorProto.DataType numbers.
const DTYPES: Readonly<Record<number, TensorDtype>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
};

type ValueInfo = {
  name?: string | null;
  type?: {
    tensorType?: {
      elemType?: number | null;
      shape?: { dim?: { dimValue?: unknown; dimParam?: string | null }[] | null } | null;
    } | null;
  } | null;
};

function tensorSpec(v: ValueInfo, file: string): TensorSpec {
  const t = v.type?.tensorType;
  const elem = t?.elemType ?? 0;
  const dtype = DTYPES[elem];
  if (!t || !dtype) {
    throw invalidParam(
      `${file}: graph value '${v.name ?? ''}' is not a tensor of a supported type (element type ${elem}).`,
    );
  }
  // A named (dimParam) or unknown dim is dynamic: -1, as MLflow's signatures write it.
  const shape = (t.shape?.dim ?? []).map((d) =>
    d.dimParam || d.dimValue === undefined || d.dimValue === null ? -1 : Number(d.dimValue),
  );
  return { name: v.name ?? '', dtype, shape };
}

/**
 * Reads the graph's inputs and outputs from ONNX bytes. Initializers that older IR versions also
 * list as inputs are left out: they are weights, not what a caller feeds. onnx-proto loads here,
 * on first use, so that the registry stays cheap to import.
 */
export async function readOnnxSignature(
  bytes: Uint8Array,
  file = 'model.onnx',
): Promise<OnnxGraphInfo> {
  const { default: onnxProto } = await import('onnx-proto');
  let model: InstanceType<typeof onnxProto.onnx.ModelProto>;
  try {
    model = onnxProto.onnx.ModelProto.decode(bytes);
  } catch (cause) {
    throw invalidParam(`${file} is not an ONNX model (${String((cause as Error).message)}).`, {
      file,
    });
  }
  const graph = model.graph;
  if (!graph) throw invalidParam(`${file} is not an ONNX model (it has no graph).`, { file });
  const weights = new Set((graph.initializer ?? []).map((t) => t.name));
  const opset = (model.opsetImport ?? []).find((o) => !o.domain)?.version;
  return {
    inputs: (graph.input ?? [])
      .filter((v) => !weights.has(v.name ?? ''))
      .map((v) => tensorSpec(v, file)),
    outputs: (graph.output ?? []).map((v) => tensorSpec(v, file)),
    ...(opset === undefined || opset === null ? {} : { opset: Number(opset) }),
    ...(model.irVersion === undefined || model.irVersion === null
      ? {}
      : { irVersion: Number(model.irVersion) }),
  };
}

export function formatTensor(t: TensorSpec): string {
  return `${t.name} ${t.dtype} [${t.shape.join(', ')}]`;
}

function sameTensor(a: TensorSpec, b: TensorSpec): boolean {
  return (
    a.name === b.name &&
    a.dtype === b.dtype &&
    a.shape.length === b.shape.length &&
    a.shape.every((d, i) => d === b.shape[i])
  );
}

function compare(
  kind: 'inputs' | 'outputs',
  graph: readonly TensorSpec[],
  declared: readonly TensorSpec[],
  file: string,
): string | undefined {
  const list = (ts: readonly TensorSpec[]) => ts.map(formatTensor).join('; ') || 'none';
  if (graph.length === declared.length && graph.every((t, i) => sameTensor(t, declared[i]!))) {
    return undefined;
  }
  return `${file} declares ${kind} ${list(graph)} but the signature says ${list(declared)}`;
}

/**
 * Refuses an ONNX file whose graph inputs or outputs (names, dtypes, shapes with -1 for dynamic
 * dims) differ from `signature`, or whose first input's second dim is not `signature.window`:
 * `MODEL_SIGNATURE_MISMATCH` naming both sides. Bytes that are not ONNX: `INVALID_PARAMETER_VALUE`. Returns what the graph declares.
 */
export async function checkOnnxSignature(
  bytes: Uint8Array,
  signature: ModelSignature,
  file = 'model.onnx',
): Promise<OnnxGraphInfo> {
  const info = await readOnnxSignature(bytes, file);
  const problems = [
    compare('inputs', info.inputs, signature.inputs, file),
    compare('outputs', info.outputs, signature.outputs, file),
  ].filter((p): p is string => p !== undefined);
  const width = signature.inputs[0]?.shape[1];
  if (width !== signature.window) {
    problems.push(
      `the signature's window ${signature.window} differs from its first input's shape[1] (${width ?? 'none'})`,
    );
  }
  if (problems.length > 0) {
    throw new MlopsError(
      'MODEL_SIGNATURE_MISMATCH',
      `ONNX model and signature disagree: ${problems.join('; ')}.`,
      { details: { file, graph: info, signature } },
    );
  }
  return info;
}

/** A signature from the graph itself: window = the first input's shape[1]. */
export function signatureFromGraph(info: OnnxGraphInfo, file = 'model.onnx'): ModelSignature {
  const window = info.inputs[0]?.shape[1];
  if (info.inputs.length === 0 || info.outputs.length === 0 || window === undefined || window < 1) {
    throw invalidParam(
      `${file}: expected a graph with an input of shape [batch, window] and an output, got inputs ${info.inputs.map(formatTensor).join('; ') || 'none'}.`,
      { file },
    );
  }
  return { inputs: [...info.inputs], outputs: [...info.outputs], window };
}
